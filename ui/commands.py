"""The one way the screen gives the room service a command, and the one place its failures are
put in words (STYLE.md "Commands: one registry, three doors").

`run` awaits on the qasync loop and returns at once; nothing it does blocks the loop or raises
into Qt. A refusal names its rule and what would allow it; a lost connection says that nothing
was done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from proctor.domain.commands import Command
from proctor.link.console_client import CommandRefused, ConsoleClient, EvidenceUnreadable, NotConnected

from . import ask
from .i18n import translate

log = logging.getLogger("proctor.console.commands")

T = TypeVar("T")
ErrorSink = Callable[[str], None]

_running: set[asyncio.Task[None]] = set()  # asyncio keeps only weak references to tasks


def run(
    parent: QWidget,
    work: Awaitable[T],
    on_done: Callable[[T], None] | None = None,
    *,
    on_error: ErrorSink | None = None,
    always: Callable[[], None] | None = None,
) -> asyncio.Task[None]:
    """Await `work` (e.g. `client.request(cmd)`); `on_done(result)` once the service has
    committed it. A failure goes to `on_error` as text when given (a dialog shows it beside what
    was typed), else to a message box opened without blocking (ask.inform). `always()` after
    either (a button that waited is free again)."""
    task = asyncio.ensure_future(_guarded(parent, work, on_done, on_error, always))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


def send(
    parent: QWidget,
    client: ConsoleClient | None,
    cmd: Command,
    on_done: Callable[[dict[str, Any]], None] | None = None,
    *,
    on_error: ErrorSink | None = None,
    always: Callable[[], None] | None = None,
) -> asyncio.Task[None]:
    """One console command, by the proctors signed in at `client`."""
    work = client.request(cmd) if client is not None else no_client()
    return run(parent, work, on_done, on_error=on_error, always=always)


async def no_client() -> dict[str, Any]:
    """What a console without a room service gets for any command."""
    raise NotConnected("this console has no room service")


async def _guarded(
    parent: QWidget,
    work: Awaitable[T],
    on_done: Callable[[T], None] | None,
    on_error: ErrorSink | None,
    always: Callable[[], None] | None,
) -> None:
    try:
        result = await work
    except asyncio.CancelledError:
        return  # the console is closing: nobody is left to tell
    except Exception as exc:
        if not isinstance(exc, (CommandRefused, NotConnected, EvidenceUnreadable)):
            log.exception("a console command failed")
        _call(parent, always)
        _tell(parent, error_text(exc), on_error)
        return
    _call(parent, always)
    if on_done is not None:
        _call(parent, lambda: on_done(result))


def _call(parent: QWidget, slot: Callable[[], None] | None) -> None:
    if slot is None or not isValid(parent):
        return
    try:
        slot()
    except Exception:  # a slot's bug must not end up as "Task exception was never retrieved"
        log.exception("handling a command's outcome failed")


def _tell(parent: QWidget, text: str, on_error: ErrorSink | None) -> None:
    if not isValid(parent):
        return
    try:
        if on_error is not None:
            on_error(text)
        else:
            ask.inform(parent, translate("Commands", "Not done"), text)
    except Exception:
        log.exception("showing a command's failure failed: %s", text)


def chinese() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


def error_text(exc: BaseException) -> str:
    """What the proctor reads: the refusal and its rule, then what would allow it."""
    if isinstance(exc, CommandRefused):
        zh = chinese()
        what = exc.message_zh if zh and exc.message_zh else exc.message
        allow = exc.allow_zh if zh and exc.allow_zh else exc.allow
        if exc.rule:
            what = f"{what} ({exc.rule})"
        return f"{what}\n{allow}" if allow else what
    if isinstance(exc, NotConnected):
        return translate("Commands", "Not connected to the room server; nothing was done")
    if isinstance(exc, EvidenceUnreadable):
        return exc.zh if chinese() else str(exc)
    return translate("Commands", "The command failed: {error}").format(error=exc)
