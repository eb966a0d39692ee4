"""`proctor-console`: the room proctor console's window, on a qasync loop.

proctor-console --connect wss://10.0.0.2:8765 --package D:/考务数据/room-01
proctor-console --demo [--machines 137] [--lang en] [--size 1024x768] [--screenshot shot.png --quit-after 15]
                [--proctors 张三,李四] [--open A03]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from typing import Any

import qasync
import shiboken6
from PySide6.QtCore import QTimer, QTranslator
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow

from proctor.domain.package import ExamPackage
from proctor.domain.policy import Policy
from proctor.domain.room import RoomState
from proctor.link.auth import Credential
from proctor.link.console_client import ConsoleClient, RoomView, header_part
from proctor.resources import load_policy

from . import icons
from .candidate_panel import package_photos
from .fonts import setup_fonts
from .i18n import install_translators, remove_translators
from .main_window import MainWindow


def parse_size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    if not sep or not w.isdigit() or not h.isdigit():
        raise argparse.ArgumentTypeError(f"not WIDTHxHEIGHT: {text!r}")
    return int(w), int(h)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="proctor-console", description="Room proctor console (监考机)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--demo", action="store_true", help="run a simulated room on this machine")
    where.add_argument("--connect", metavar="wss://HOST:PORT", help="the room service to watch")
    p.add_argument("--package", metavar="DIR", help="the exam package (room key, header); needed with --connect")
    p.add_argument(
        "--machines",
        type=int,
        metavar="N",
        help="with --demo: a generated room of N exam machines (spares included) instead of the sample room",
    )
    p.add_argument(
        "--open",
        metavar="MACHINE",
        help="open the candidate at this exam machine once they log in there (demos, screenshots)",
    )
    p.add_argument(
        "--drill",
        metavar="ID",
        help="with --demo: run this drill (resources/drills: power-failure, machine-crash); its faults come on "
        "the exam clock, and 操作 → 演练评分 scores what was done",
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--size", type=parse_size, default=(1280, 800), metavar="WxH")
    p.add_argument("--screenshot", metavar="FILE.png", help="save the window after --quit-after seconds, then quit")
    p.add_argument("--quit-after", type=float, metavar="S", help="quit after S seconds")
    p.add_argument(
        "--proctors",
        type=parse_names,
        metavar="NAME,NAME[,NAME]",
        help="sign these room proctors in as soon as the service answers, instead of asking (demos, screenshots)",
    )
    return p


def switch_language(
    app: QApplication, window: MainWindow, lang: str, translators: list[QTranslator]
) -> tuple[MainWindow, list[QTranslator]]:
    """The same room in another language: a new window over the same RoomView and client (the
    room service keeps running; nothing the proctors did is lost), where the old one was."""
    remove_translators(app, translators)
    translators = install_translators(app, lang)
    new = MainWindow(
        window.view,
        client=window.client,
        package_header=window.package_header,
        expected_fingerprint=window.expected_fingerprint,
        photos=window.photos,
    )
    new.confirm_on_close = window.confirm_on_close
    new.setGeometry(window.geometry())
    new.show()
    window.confirm_on_close = False
    window.close()
    window.deleteLater()
    return new, translators


def window_as_seen(window: QMainWindow) -> QPixmap:
    """The window with its floating docks (the candidate panel on a small screen) over it."""
    shot = window.grab()
    painter = QPainter(shot)
    for dock in window.findChildren(QDockWidget):
        if dock.isFloating() and dock.isVisible():
            painter.drawPixmap(window.mapFromGlobal(dock.frameGeometry().topLeft()), dock.grab())
    painter.end()
    return shot


def parse_names(text: str) -> list[str]:
    names = [n.strip() for n in text.replace("，", ",").split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"no names in {text!r}")
    return names


def package_header(package: ExamPackage) -> dict[str, Any]:
    """What the header shows from the package alone, before the service has answered: the
    header the service itself publishes (RoomState.header) of a room where nothing happened yet."""
    try:
        policy = load_policy(package.policy)
    except (OSError, ValueError):
        # The profile is the service's business; without the file here the header shows no name.
        policy = Policy(id=package.policy, name="")
    return header_part(RoomState(package, policy).header())


def main(argv: Sequence[str] | None = None) -> int:
    p = build_parser()
    args = p.parse_args(argv)
    if args.connect and not args.package:
        p.error("--connect needs --package (the room key and header come from it)")
    if args.screenshot and args.quit_after is None:
        p.error("--screenshot needs --quit-after")
    if args.machines is not None and not (args.demo and 4 <= args.machines <= 2000):
        p.error("--machines goes with --demo, from 4 to 2000")
    if args.drill is not None:
        from proctor.resources import drill_files

        drills = {f.stem for f in drill_files()}
        if not args.demo or args.drill not in drills:
            p.error(f"--drill goes with --demo, one of: {', '.join(sorted(drills))}")

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("proctor-console")
    translators = install_translators(app, args.lang)  # kept alive until exit
    setup_fonts(app)

    demo = None
    if args.demo:
        from .demo import DemoRoom, demo_package, timeline_text

        demo = DemoRoom(demo_package(args.machines) if args.machines else None, drill=args.drill)
        url = demo.start().url
        package = demo.package
        print(timeline_text(package, demo.drill), file=sys.stderr)
    else:
        from proctor.package import PackageError, load_package

        try:
            package = load_package(args.package)
        except PackageError as exc:
            print(f"proctor-console: package refused: {exc}", file=sys.stderr)
            return 2
        url = args.connect

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    view = RoomView()
    client = ConsoleClient(url, Credential.console(package.room_key), view)
    window = MainWindow(
        view,
        client=client,
        package_header=package_header(package),
        expected_fingerprint=package.fingerprint,
        photos=package_photos(package),
    )
    window.confirm_on_close = not (args.demo or args.screenshot)
    window.auto_proctors = args.proctors or []
    window.open_on_arrival = args.open
    window.resize(*args.size)
    window.show()
    shown = [window]  # the window on screen: a switch of language makes a new one

    def relanguage(lang: str) -> None:
        nonlocal translators
        shown[0], translators = switch_language(app, shown[0], lang, translators)
        shown[0].languageRequested.connect(relanguage)

    window.languageRequested.connect(relanguage)

    def cancel_pending() -> None:
        for task in asyncio.all_tasks(loop):
            task.cancel()

    def hard_quit(*_: Any) -> None:
        shown[0].confirm_on_close = False
        app.quit()

    def screenshot() -> None:
        ok = window_as_seen(shown[0]).save(args.screenshot)
        print(f"proctor-console: {'saved' if ok else 'could not save'} {args.screenshot}", file=sys.stderr)
        hard_quit()

    app.aboutToQuit.connect(cancel_pending)
    signal.signal(signal.SIGINT, hard_quit)
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), screenshot if args.screenshot else hard_quit)

    client.start()
    try:
        loop.run_forever()
        # Let the cancelled tasks unwind (close their sockets) before the loop goes away.
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=2))
    finally:
        if demo is not None:
            demo.stop()
        loop.close()
        asyncio.set_event_loop(None)
        # Widgets and their cached pixmaps go before the QApplication, not in whatever order
        # the interpreter happens to collect them at exit.
        shiboken6.delete(shown[0])
        icons.clear_caches()
    return 0


if __name__ == "__main__":
    sys.exit(main())
