"""The console's link: it follows the service, and a message it cannot apply costs a reconnect,
never a frozen screen."""

import asyncio
import json

from websockets.asyncio.server import serve

from proctor.link import auth
from proctor.link.console_client import ConsoleClient
from tests.waiting import until

KEY = "k" * 32


def test_a_bad_message_makes_the_console_start_over_from_a_snapshot():
    async def main():
        connections = 0

        async def service(ws):
            nonlocal connections
            connections += 1
            await ws.send(json.dumps({"t": "challenge", "v": 2, "nonce": "n" * 32, "room": "第01考场"}))
            hello = json.loads(await ws.recv())
            assert hello["role"] == "console" and auth.proves(
                auth.console_key(KEY), "n" * 32, "console", "console", hello["proof"]
            )
            if connections == 1:
                await ws.send(json.dumps({"t": "changed", "candidates": [{"no ticket": 1}]}))
                await ws.wait_closed()
                return
            room = {
                "exam": "考试",
                "sittings": [],
                "sitting": 1,
                "machines": [{"id": "A01"}],
                "candidates": [{"ticket": "1", "state": "expected", "flags": []}],
            }
            await ws.send(json.dumps({"t": "snapshot", "seq": 5, "room": room}))
            await ws.wait_closed()

        async with serve(service, "127.0.0.1", 0, ssl=auth.server_context(KEY)) as server:
            port = server.sockets[0].getsockname()[1]
            client = ConsoleClient(f"wss://127.0.0.1:{port}", auth.Credential.console(KEY))
            client.start()
            try:
                await until(lambda: client.view.seq == 5, "the second connection's snapshot")
            finally:
                await client.stop()
        assert connections == 2
        assert client.view.seq == 5 and list(client.view.candidates) == ["1"]

    asyncio.run(asyncio.wait_for(main(), 20))
