"""What consoles get for an event that changes the room's header: the header and the rows it
names, never the whole room again (a 1000-machine room's snapshot is costly for every console)."""

import asyncio

from tests import wire
from tests.service.test_extra_time import Room
from tests.waiting import until


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


async def next_update(ws):
    msg = await wire.recv(ws)
    while msg["t"] not in ("changed", "snapshot"):
        msg = await wire.recv(ws)
    return msg


def test_extra_time_and_a_notice_send_the_header_and_their_rows_not_the_room(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            ws, first = await wire.console(r.room.url, package)
            while first["t"] != "snapshot":
                first = await wire.recv(ws)
            end = next(row for row in first["room"]["candidates"] if row["ticket"] == c.ticket)["end"]
            await r.client.grant_extra_time([c.ticket], 5, "power")
            update = await next_update(ws)
            while not any(e["kind"] == "ExtraTimeGranted" for e in update.get("events", ())):
                update = await next_update(ws)
            assert update["t"] == "changed" and [row["ticket"] for row in update["candidates"]] == [c.ticket]
            assert update["candidates"][0]["end"] == end + 300
            deadlines = update["header"]["sittings"][0]["deadlines"]
            assert max(d["at"] for d in deadlines) == end + 300  # the sitting's last end moved
            await r.client.send_notice("第 3 题更正", "correction")
            update = await next_update(ws)
            while not any(e["kind"] == "NoticeSent" for e in update.get("events", ())):
                update = await next_update(ws)
            assert update["t"] == "changed" and update["header"]["notices"][0]["text"] == "第 3 题更正"
            await until(lambda: r.client.view.notices.get(1, {}).get("text") == "第 3 题更正", "the notice in the view")
            await ws.close()

    run(main())
