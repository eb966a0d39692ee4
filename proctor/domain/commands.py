"""What a console may ask of the room service: one typed command each, tagged by `"c"`.

The same structs are decoded from the wire, built by the `proctor do` command line and passed
to the rules. A `reads`-only command (a query) changes nothing and needs no signed-in proctor.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import msgspec

from .events import ExtraTimeReason, Name, ResetKind, ResetReason

Count = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Ticket = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class Command(msgspec.Struct, tag_field="c", frozen=True, kw_only=True, forbid_unknown_fields=True):
    reads_only: ClassVar[bool] = False
    help: ClassVar[str] = ""


class SignInProctors(Command, tag="sign_in_proctors", frozen=True, kw_only=True):
    names: Annotated[tuple[Name, ...], msgspec.Meta(max_length=12)]
    help: ClassVar[str] = "the room proctors sign in at the console (their names go on every record)"


class AcknowledgeAlert(Command, tag="acknowledge_alert", frozen=True, kw_only=True):
    alert: Annotated[int, msgspec.Meta(ge=1, le=2**31)]
    help: ClassVar[str] = "a proctor has seen an alert and deals with it"


class RevealIdNumber(Command, tag="reveal_id_number", frozen=True, kw_only=True):
    """The reply carries the candidate's whole ID number; the log records who asked, not the number."""

    ticket: Ticket
    help: ClassVar[str] = "show a candidate's whole ID number to the proctors (recorded with their names)"


class History(Command, tag="history", frozen=True, kw_only=True):
    """The room's events in order after `after` (a page of at most `limit`), or one candidate's."""

    ticket: Ticket | None = None
    after: Count = 0
    limit: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 200
    reads_only: ClassVar[bool] = True
    help: ClassVar[str] = "the room's event history in pages, or one candidate's timeline"


Tickets = Annotated[tuple[Ticket, ...], msgspec.Meta(min_length=1, max_length=200)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=600)]  # whole minutes; the tiers bound them further
Note = Annotated[str, msgspec.Meta(max_length=200)]


class RequestAuthorization(Command, tag="request_authorization", frozen=True, kw_only=True):
    """Ask the provincial office for a code: the reply's `request` is what a proctor reads to it."""

    op: Literal["extra_time"] = "extra_time"
    tickets: Tickets
    minutes: Minutes
    help: ClassVar[str] = "ask for a provincial authorization code (the reply is the request code to read out)"


class GrantExtraTime(Command, tag="grant_extra_time", frozen=True, kw_only=True):
    """Extra time (补时) for one candidate or a group, with its reason (R19-R22); above the
    direct tier only with the provincial `code` answering `request`."""

    tickets: Tickets
    minutes: Minutes
    reason: ExtraTimeReason
    note: Note = ""
    request: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    code: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    help: ClassVar[str] = "give candidates extra time for time lost through no fault of theirs (R19-R22)"


# -- reset (重置) ---------------------------------------------------------------------------------

MachineId = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class ResetCandidate(Command, tag="reset_candidate", frozen=True, kw_only=True):
    """Reset (重置) a candidate off a failed machine (R24): `resume` on the free spare `machine`,
    or `restart` on their own machine (`machine` omitted or the same)."""

    ticket: Ticket
    kind: ResetKind = ResetKind.RESUME
    machine: MachineId | None = None
    reason: ResetReason
    note: Note = ""
    help: ClassVar[str] = "reset a candidate onto a free spare machine, or their own after a restart (R24)"


AnyCommand = (
    SignInProctors
    | AcknowledgeAlert
    | RevealIdNumber
    | History
    | RequestAuthorization
    | GrantExtraTime
    | ResetCandidate
)
COMMAND_TYPES: tuple[type[Command], ...] = AnyCommand.__args__  # type: ignore[attr-defined]


def command_name(cmd: type[Command] | Command) -> str:
    return (cmd if isinstance(cmd, type) else type(cmd)).__struct_config__.tag  # type: ignore[return-value]
