"""Transfers between two or three real room services of one site, over TLS on loopback: two
rooms racing to receive one transferred candidate, the sending room receives exactly one claim;
the candidate logs in only there; a laptop without the site's secret, a room of another site,
or a forged answer gets nothing."""

import asyncio
import dataclasses
import time
from datetime import datetime

import pytest

from proctor.host import RoomOptions, start_room
from proctor.link import room_link
from proctor.link.auth import Credential, LinkError
from proctor.link.console_client import CommandRefused, ConsoleClient
from proctor.package.demo import generate
from tests import wire
from tests.waiting import until

PROCTORS = ("林𠮷祥", "王芳")


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def renumbered(pkg, room_no):
    """Tickets are the site's: room N's read …00N…, where the demo numbers every room alike."""

    def ticket(t):
        return t[:6] + f"{room_no:03d}" + t[9:]

    people = tuple(dataclasses.replace(c, ticket=ticket(c.ticket)) for c in pkg.candidates)
    sittings = tuple(dataclasses.replace(s, tickets=tuple(ticket(t) for t in s.tickets)) for s in pkg.sittings)
    return dataclasses.replace(pkg, candidates=people, sittings=sittings)


def site_rooms(n, tmp_path):
    """Rooms 1..n of one overbooked site; sittings start in 20 minutes (logins are open)."""
    start = datetime.fromtimestamp(time.time() + 20 * 60).astimezone()
    made = [
        generate(candidates=9, machines=8, seed=10 + i, overbooked=True, room=f"第0{i}考场", start=start)
        for i in range(1, n + 1)
    ]
    return [renumbered(pkg, i) for i, pkg in enumerate(made, 1)]


class Site:
    def __init__(self, packages, tmp_path):
        self.packages, self.tmp_path = packages, tmp_path

    async def __aenter__(self):
        self.rooms = []
        self.consoles = []
        for i, pkg in enumerate(self.packages):
            room = await start_room(pkg, RoomOptions(db=self.tmp_path / f"room{i}.db"))
            client = ConsoleClient(room.url, Credential.console(pkg.room_key))
            client.start()
            await until(lambda c=client: c.view.connected, "a console")
            await client.sign_in(PROCTORS)
            self.rooms.append(room)
            self.consoles.append(client)
        return self

    async def __aexit__(self, *exc):
        for c in self.consoles:
            await c.stop()
        for r in self.rooms:
            await r.stop()


def test_two_rooms_racing_for_one_transferred_candidate_one_receives_them(tmp_path):
    async def main():
        async with Site(site_rooms(3, tmp_path), tmp_path) as site:
            a, b, c = site.consoles
            pkg_a = site.packages[0]
            moved = pkg_a.candidates[-1]
            await a.transfer_out(moved.ticket, "本考场已满")
            url_a = site.rooms[0].url
            results = await asyncio.gather(
                b.transfer_in(pkg_a.room, url_a, moved.ticket),
                c.transfer_in(pkg_a.room, url_a, moved.ticket),
                return_exceptions=True,
            )
            granted = [r for r in results if isinstance(r, dict)]
            refused = [r for r in results if isinstance(r, CommandRefused)]
            assert len(granted) == 1 and len(refused) == 1, results
            assert "已由" in refused[0].message_zh and "调入" in refused[0].message_zh
            winner = 1 if isinstance(results[0], dict) else 2
            loser = 3 - winner
            rows = site.consoles[winner].view.candidates
            await until(lambda: moved.ticket in rows, "the new row at the receiving room")
            assert moved.ticket not in site.consoles[loser].view.candidates
            # Logged in at the receiving room only.
            ws, _ = await wire.machine(site.rooms[winner].url, site.packages[winner], "A01")
            assert (await wire.login(ws, moved))["t"] == "login_ok"
            await ws.close()
            ws, _ = await wire.machine(url_a, pkg_a, "A02")
            refusal = await wire.login(ws, moved)
            assert refusal["code"] == "transferred_out" and site.packages[winner].room in refusal["message_zh"]
            await ws.close()
            slip = await a.request_slip()
            assert [(r["ticket"], r["room"]) for r in slip["rows"]] == [(moved.ticket, site.packages[winner].room)]

    run(main())


def test_a_claim_without_the_sites_secret_or_with_a_forged_answer_gets_nothing(tmp_path):
    async def main():
        async with Site(site_rooms(2, tmp_path), tmp_path) as site:
            a, _ = site.consoles
            pkg_a = site.packages[0]
            moved = pkg_a.candidates[-1]
            await a.transfer_out(moved.ticket, "本考场已满")
            url_a = site.rooms[0].url
            with pytest.raises(LinkError):  # a laptop with a made-up site secret
                await room_link.claim(url_a, "ab" * 32, "第09考场", pkg_a.room, moved.ticket)
            with pytest.raises(LinkError) as no:  # the right site, the wrong room named
                await room_link.claim(url_a, pkg_a.site_secret, "第02考场", "第05考场", moved.ticket)
            assert "第01考场" in no.value.zh
            other = dataclasses.replace(site.packages[1], site_secret="cd" * 32)
            with pytest.raises(LinkError):  # a room of another site
                await room_link.claim(url_a, other.site_secret, other.room, pkg_a.room, moved.ticket)
            events, _ = await a.history()
            assert not [e for e in events if e.kind == "TransferReceived"]  # nobody received them

    run(main())


@pytest.mark.parametrize(
    "hello",
    [
        {"role": "room", "proof": "00" * 32},  # no room named
        {"role": "room", "proof": "00" * 32, "peer_room": "第02考场"},  # a proof without the site's key
        {"role": "room", "proof": "00" * 32, "peer_room": "第01考场"},  # posing as the room itself
        {"role": "room", "proof": "00" * 32, "peer_room": "名" * 33},
    ],
)
def test_a_hostile_room_hello_is_refused_and_records_nothing(tmp_path, hello):
    async def main():
        async with Site(site_rooms(1, tmp_path), tmp_path) as site:
            before = site.rooms[0].service.log.last_seq
            ws, challenge = await wire.opened(site.rooms[0].url)
            await wire.send(ws, {"t": "hello", "v": 2, **hello})
            reply = await wire.recv(ws)
            assert reply["t"] == "error" and reply["code"] in ("not_allowed", "bad_proof", "bad_message")
            await ws.close()
            assert site.rooms[0].service.log.last_seq == before

    run(main())


def test_a_claim_of_the_wrong_shape_is_answered_with_an_error(tmp_path):
    async def main():
        async with Site(site_rooms(2, tmp_path), tmp_path) as site:
            from proctor.link import auth

            pkg_b = site.packages[1]
            ws, challenge = await wire.opened(site.rooms[0].url)
            key = auth.room_peer_key(pkg_b.site_secret, pkg_b.room)
            proof = auth.proof(key, challenge["nonce"], "room", pkg_b.room)
            await wire.send(ws, {"t": "hello", "v": 2, "role": "room", "proof": proof, "peer_room": pkg_b.room})
            await wire.send(ws, {"t": "claim_transfer", "id": 1, "ticket": ["x"], "nonce": "ab"})
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"]) == ("error", "bad_message")
            await ws.close()

    run(main())
