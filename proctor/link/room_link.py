"""One room claims a candidate another room of the site transferred out (调入, R35): it opens a
TLS link to that room's service, proves it is a room of the site (the site's secret, its own
name), and asks; the answer is signed by the sending room over the claimer's fresh nonce, so a
machine posing as that room cannot hand over a made-up candidate. The sending room's log decides
who receives: the first claim is granted, any later one refused naming the room that has them."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from . import auth
from . import messages as m
from .auth import LinkError

CLAIM_TIMEOUT_S = 10.0


async def claim(url: str, site_secret: str, my_room: str, from_room: str, ticket: str) -> dict[str, Any]:
    """The candidate as `from_room` holds them (`sitting`, `ticket`, `name`, `gender`,
    `id_number`); LinkError (words for the proctor) when the link fails or that room refuses."""
    if not site_secret:
        raise LinkError("this room's package carries no site secret", "本考场的考务数据包没有考点密钥，不能调入考生")
    async with auth.open_connection(url, open_timeout=CLAIM_TIMEOUT_S) as ws:
        challenge = m.decode_outgoing(await ws.recv())
        if not isinstance(challenge, m.Challenge):
            raise LinkError("that address is not a room service", "该地址不是考场服务器")
        if challenge.room != from_room:
            raise LinkError(
                f"that address serves {challenge.room}, not {from_room}",
                f"该地址是{challenge.room}的考场服务器，不是{from_room}",
            )
        key = auth.room_peer_key(site_secret, my_room)
        proof = auth.proof(key, challenge.nonce, "room", my_room)
        await ws.send(m.encode(m.Hello(v=m.PROTOCOL_VERSION, role="room", proof=proof, peer_room=my_room)))
        nonce = secrets.token_hex(32)  # as long as a proof: 64 hex digits
        await ws.send(m.encode(m.ClaimTransfer(id=1, ticket=ticket, nonce=nonce)))
        answer = m.decode_outgoing(await ws.recv())
    if isinstance(answer, m.Error):
        raise LinkError(f"{answer.code}: {answer.message}", answer.message_zh)
    if not isinstance(answer, m.TransferGranted) or answer.room != from_room:
        raise LinkError("an unexpected answer", "调出考场的答复不正确")
    expected = auth.transfer_mac(site_secret, from_room, nonce, answer.candidate)
    if not hmac.compare_digest(expected, answer.mac):
        raise LinkError(
            f"the answer is not signed by {from_room} of this site",
            f"答复不是本考点{from_room}签发的，不能调入",
        )
    return answer.candidate
