"""A command the rules forbid, said so that a machine, a proctor and a programmer understand it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .events import Event


class Refused(Exception):
    """`code` for programs; `rule` the RULES.md row that forbids it (None when no seed rule does);
    `en`/`zh` what is wrong; `allow_en`/`allow_zh` what would allow it (a code, a consent, a time).

    `record` holds events to append although the command is refused: a refusal that is itself
    a fact (a duplicate login attempt, an unknown machine knocking) is evidence.
    """

    def __init__(
        self,
        code: str,
        en: str,
        zh: str,
        *,
        rule: str | None = None,
        allow_en: str = "",
        allow_zh: str = "",
        record: list[Event] | None = None,
        **data: Any,
    ) -> None:
        super().__init__(f"{code}: {en}")
        self.code, self.en, self.zh, self.rule = code, en, zh, rule
        self.allow_en, self.allow_zh = allow_en, allow_zh
        self.record: list[Event] = record or []
        self.data = data
