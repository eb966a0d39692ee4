"""Who is on the other end of the room's link (docs/security.md, docs/protocol.md).

Everything comes from the exam package's room secret (`room_key`), which only the proctor
machine holds:
- each exam machine's key, HMAC(room secret, "machine/<id>"): written into that machine's
  credential file and nowhere else, so a machine can prove who it is and nothing more;
- the console key, HMAC(room secret, "console"), which no exam machine holds;
- the service's TLS key pair, derived the same way, so the standby proctor machine that loads the
  same package presents the same key and the machines reconnect to it unchanged. Clients pin its
  public key (SHA-256 of the SubjectPublicKeyInfo): no certificate authority, no internet.

A client proves its key by answering the service's fresh nonce (`challenge`) with
HMAC(key, "proctor-link/2/hello" | nonce | role | name), inside TLS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import ssl
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.asyncio.client import ClientConnection, connect

from . import messages as m

_LABEL = b"proctor-link/2/"
CONSOLE = "console"


class LinkError(Exception):
    """The link could not be opened: the service is not the room's, or it refused us. `zh`:
    what a proctor or technician reads."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def _derive(room_key: str, label: str) -> bytes:
    return hmac.new(room_key.encode(), _LABEL + label.encode(), hashlib.sha256).digest()


def proof(key: bytes, nonce: str, role: str, name: str) -> str:
    msg = b"\n".join([_LABEL + b"hello", nonce.encode(), role.encode(), name.encode()])
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def proves(key: bytes, nonce: str, role: str, name: str, given: str) -> bool:
    return hmac.compare_digest(proof(key, nonce, role, name), given)


def machine_key(room_key: str, machine: str) -> bytes:
    return _derive(room_key, f"machine/{machine}")


def console_key(room_key: str) -> bytes:
    return _derive(room_key, CONSOLE)


def room_peer_key(site_secret: str, room: str) -> bytes:
    """A room's key among the rooms of its site (transfers, 调出/调入): from the site's secret,
    which every room's package of the site carries, and the room's name."""
    return _derive(site_secret, f"room/{room}")


def transfer_mac(site_secret: str, room: str, nonce: str, candidate: dict[str, Any]) -> str:
    """What the sending room signs its answer to a claim with (the claimer's nonce, the candidate)."""
    body = json.dumps(candidate, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    msg = b"\n".join([_LABEL + b"transfer", nonce.encode(), body.encode()])
    return hmac.new(room_peer_key(site_secret, room), msg, hashlib.sha256).hexdigest()


# -- the service's TLS identity ------------------------------------------------------------------


@cache
def _server_key(room_key: str) -> ec.EllipticCurvePrivateKey:
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256
    value = int.from_bytes(_derive(room_key, "tls-server"), "big") % (order - 1) + 1
    return ec.derive_private_key(value, ec.SECP256R1())


def _pin(public_key: Any) -> str:
    """SHA-256 (hex) of a SubjectPublicKeyInfo: what every client pins."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def server_pin(room_key: str) -> str:
    return _pin(_server_key(room_key).public_key())


def server_context(room_key: str) -> ssl.SSLContext:
    """TLS 1.2+ with the room's derived key; a self-signed certificate that clients pin by key."""
    key = _server_key(room_key)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "proctor room service")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int(server_pin(room_key)[:30], 16))
        .not_valid_before(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # pinned by key: a machine's clock
        .not_valid_after(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))  # may be wrong without harm
        .sign(key, hashes.SHA256())
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    with tempfile.TemporaryDirectory() as tmp:  # load_cert_chain reads files only
        cert_file, key_file = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        key_file.chmod(0o600)
        ctx.load_cert_chain(cert_file, key_file)
    return ctx


def client_context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the key is pinned below instead of a CA chain
    return ctx


def peer_pin(ws: ClientConnection) -> str | None:
    obj = ws.transport.get_extra_info("ssl_object")
    der = obj.getpeercert(binary_form=True) if obj is not None else None
    return None if der is None else _pin(x509.load_der_x509_certificate(der).public_key())


# -- credentials ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credential:
    """What one client holds: its role and name, its key, and the service's pinned key."""

    role: str  # "machine" or "console"
    name: str  # the machine id, or "console"
    key: bytes
    pin: str
    room: str = ""

    @classmethod
    def machine(cls, room_key: str, machine: str, room: str = "") -> Credential:
        return cls("machine", machine, machine_key(room_key, machine), server_pin(room_key), room)

    @classmethod
    def console(cls, room_key: str, room: str = "") -> Credential:
        return cls(CONSOLE, CONSOLE, console_key(room_key), server_pin(room_key), room)

    def to_json(self) -> str:
        return json.dumps(
            {"v": m.PROTOCOL_VERSION, "room": self.room, "role": self.role, "name": self.name,
             "key": self.key.hex(), "server_key_sha256": self.pin},
            ensure_ascii=False, indent=2,
        )  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> Credential:
        d = json.loads(text)
        return cls(d["role"], d["name"], bytes.fromhex(d["key"]), d["server_key_sha256"], d.get("room", ""))

    def hello(self, nonce: str, **fields: Any) -> m.Hello:
        return m.Hello(
            v=m.PROTOCOL_VERSION,
            role="console" if self.role == CONSOLE else "machine",
            machine=None if self.role == CONSOLE else self.name,
            proof=proof(self.key, nonce, self.role, self.name),
            **fields,
        )


async def handshake(ws: ClientConnection, cred: Credential, **hello: Any) -> m.Msg:
    """On an open TLS connection: check the service's key, answer its challenge; the service's
    first answer (`welcome`, `snapshot` or `error`)."""
    if peer_pin(ws) != cred.pin:
        raise LinkError(
            "this is not the room's service: its key is not the one in the credential",
            "连接的不是本考场的考场服务器（密钥不符）：请核对监考机地址和考试包",
        )
    challenge = m.decode_outgoing(await ws.recv())
    if isinstance(challenge, m.Error):
        raise LinkError(f"{challenge.code}: {challenge.message}", challenge.message_zh)
    if not isinstance(challenge, m.Challenge) or challenge.v != m.PROTOCOL_VERSION:
        raise LinkError(
            f"the service does not speak protocol v{m.PROTOCOL_VERSION}",
            "考场服务器的协议版本与本程序不符，请使用同一版本",
        )
    await ws.send(m.encode(cred.hello(challenge.nonce, **hello)))
    return m.decode_outgoing(await ws.recv())


def open_connection(url: str, *, open_timeout: float = 10, max_size: int = m.MAX_MESSAGE_BYTES) -> Any:
    """The TLS WebSocket to the room service (awaitable, or an async context manager)."""
    if not url.startswith("wss://"):
        raise LinkError(
            f"the room service is reached with wss://HOST:PORT, not {url!r}",
            f"考场服务器地址应写作 wss://地址:端口，而不是 {url}",
        )
    return connect(url, ssl=client_context(), compression=None, open_timeout=open_timeout, max_size=max_size)


@asynccontextmanager
async def open_link(
    url: str, cred: Credential, *, open_timeout: float = 10, max_size: int = m.MAX_MESSAGE_BYTES, **hello: Any
) -> AsyncIterator[tuple[ClientConnection, m.Msg]]:
    """Connect and prove who we are; yields the connection and the service's first answer."""
    async with open_connection(url, open_timeout=open_timeout, max_size=max_size) as ws:
        yield ws, await handshake(ws, cred, **hello)
