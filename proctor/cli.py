"""The `proctor` command: serve a room, simulate exam machines, write demo packages."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from .domain.refusal import Refused
from .host import RoomOptions, parse_listen, parse_when, start_room
from .store import LogRefused, PackageMismatch


def _load(path: str):
    from .package import PackageError, load_package

    try:
        return load_package(path)
    except PackageError as exc:
        sys.exit(f"proctor: package refused: {exc}")


def cmd_serve(args: argparse.Namespace) -> int:
    package = _load(args.package)
    host, port = parse_listen(args.listen)
    opts = RoomOptions(
        db=Path(args.db),
        host=host,
        port=port,
        first_start_at=parse_when(args.start_at) if args.start_at else None,
        time_scale=args.time_scale,
    )

    if not opts.db.parent.is_dir():
        raise ValueError(f"--db {opts.db}: folder {opts.db.parent} does not exist")

    async def main() -> None:
        try:
            room = await start_room(package, opts)
        except OSError as exc:
            sys.exit(f"proctor: cannot listen on {args.listen}: {exc}")
        except PackageMismatch as exc:
            sys.exit(f"proctor: {exc}; use a new --db for this package")
        except LogRefused as exc:  # damaged, in use, another program's, or the disk is full or failing
            print(f"proctor: {exc}", file=sys.stderr)
            sys.exit(2)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except NotImplementedError:  # Windows: Ctrl-C arrives as KeyboardInterrupt instead
                pass
        # Announced only once a stop signal would be handled: a supervisor may send one at once.
        print(
            json.dumps(
                {"listening": f"wss://{host}:{room.port}", "room": package.room, "package": package.short_code},
                ensure_ascii=False,
            ),
            flush=True,
        )
        failed = asyncio.ensure_future(room.service.failed_event.wait())
        try:
            await asyncio.wait([asyncio.ensure_future(stop.wait()), failed], return_when=asyncio.FIRST_COMPLETED)
        finally:
            await room.stop()
        if failed.done():
            # Memory is ahead of the disk now: only a restart, which replays the log, is safe.
            sys.exit(f"proctor: the event log could not be written ({room.service.failed}); restart on the same --db")

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    return 0


def cmd_sim(args: argparse.Namespace) -> int:
    from websockets.exceptions import InvalidURI, WebSocketException

    from .link.auth import LinkError
    from .sim.room import simulate

    if getattr(args, "sim_mode", None) == "standalone":
        return cmd_sim_standalone(args)
    missing = [f"--{n}" for n in ("connect", "package", "machines", "duration") if getattr(args, n) is None]
    if missing:
        raise ValueError(f"sim: {', '.join(missing)} required (or: proctor sim standalone …)")
    package = _load(args.package)
    if not args.connect.startswith("wss://"):
        raise ValueError(f"--connect wants wss://HOST:PORT, not {args.connect!r}")
    try:
        result = asyncio.run(
            simulate(
                args.connect,
                package,
                args.machines,
                args.duration,
                seed=args.seed,
                save_every=args.save_every,
                operations_every=args.operations,
            )
        )
    except (OSError, InvalidURI, WebSocketException, LinkError) as exc:
        sys.exit(f"proctor: cannot reach the room service at {args.connect}: {exc}")
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if result["lost"] == 0 else 1


def cmd_demo_roster(args: argparse.Namespace) -> int:
    from .package.demo import write_demo

    start = None
    if args.start:
        from datetime import datetime

        start = datetime.fromtimestamp(parse_when(args.start)).astimezone()
    pkg = write_demo(
        args.out,
        candidates=args.candidates,
        machines=args.machines,
        start=start,
        seed=args.seed,
        sittings=args.sittings,
        overbooked=args.overbooked,
        **({"policy": args.policy} if args.policy else {}),
    )
    print(
        json.dumps(
            {"out": str(args.out), "candidates": len(pkg.candidates), "package": pkg.short_code}, ensure_ascii=False
        )
    )
    return 0


def cmd_backup_open(args: argparse.Namespace) -> int:
    """The exam office's side of R15/R56: a room's backup opened with that room's package."""
    from .store.backup import BackupRefused, open_backup

    package = _load(args.package)
    try:
        header, archive = open_backup(Path(args.file).read_bytes(), package.room_key)
    except BackupRefused as no:
        print(f"proctor: {no.zh} ({no.en})", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.write_bytes(archive)
    print(json.dumps({**header, "zip": str(out), "bytes": len(archive)}, ensure_ascii=False), flush=True)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The room situation report from the room's log alone, as a PDF (no screen needed)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from .fonts import font_chain
    from .report.content import NotThisRoom, build
    from .report.render import QR_DIGEST, digest_text, form_html, write_pdf
    from .resources import load_policy, shipped_flows
    from .store import EventLog

    package = _load(args.package)
    app = QGuiApplication.instance() or QGuiApplication(["proctor-report"])  # noqa: F841  (fonts, PDF)
    try:
        with EventLog(args.db, readonly=True) as log:
            report = build(package, load_policy(package.policy), log.replay(), shipped_flows())
    except LogRefused as exc:
        print(f"proctor: {exc}", file=sys.stderr)
        return 1
    except NotThisRoom as exc:
        print(f"proctor: 该日志不属于本考场的考务数据，请核对 --package 与 --db ({exc})", file=sys.stderr)
        return 1
    if report.last_seq == 0:
        print(f"proctor: {args.db} holds no events of this room", file=sys.stderr)
        return 1
    out = Path(args.pdf)
    if not out.parent.is_dir():
        print(f"proctor: 无法写入 {out}：文件夹不存在 (no folder {out.parent})", file=sys.stderr)
        return 1
    try:
        page = form_html(report, args.form, args.incident)
    except Refused as r:
        print(f"proctor: {r.zh}；{r.allow_zh}", file=sys.stderr)
        return 1
    pages = write_pdf(page, out, font_chain(), {QR_DIGEST: digest_text(report)})
    print(json.dumps({"pdf": str(out), "form": args.form, "pages": pages, "last_seq": report.last_seq}), flush=True)
    return 0


def cmd_flows_check(args: argparse.Namespace) -> int:
    """Every problem with the incident flowcharts (the shipped ones, or FILEs), in words; exit 1 if any."""
    from .domain.commands import COMMAND_TYPES, command_name
    from .domain.flows import FlowError, check
    from .resources import all_policies, flow_files, load_flow

    paths = [Path(f) for f in args.files] or flow_files()
    operations = [command_name(c) for c in COMMAND_TYPES]
    policies = all_policies()
    problems: list[str] = []
    for path in paths:
        try:
            problems += check(load_flow(path), operations, policies)
        except FlowError as exc:
            problems.append(str(exc))
    for line in problems:
        print(f"proctor: {line}", file=sys.stderr)
    print(json.dumps({"flows": len(paths), "problems": len(problems)}), flush=True)
    return 1 if problems else 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Exit code 0: intact (and, with --digest, the printed report's event holds the hash it
    quotes); 1: the log was altered or cut short, or the paper does not match it (why, on
    stderr); 2: the file cannot be read as a room's log at all, or the digest is malformed."""
    from .store import EventLog

    db = Path(args.db)
    if not db.is_file():
        raise ValueError(f"--db {db}: no such file")
    quoted = None
    if args.digest is not None:
        quoted = re.fullmatch(r"(?:proctor-log:)?(\d{1,12}):([0-9a-f]{64})", args.digest.strip().lower())
        if quoted is None:
            print(
                "proctor: 摘要格式应为 proctor-log:序号:64位十六进制摘要 (as the report's QR code reads)",
                file=sys.stderr,
            )
            return 2
    try:
        with EventLog(db, readonly=True) as log:  # beside a running service: no lock, no new files
            damage = log.find_damage()
            kinds = log.kinds()
            head = log.last_seq
            held = log.hash_at(int(quoted.group(1))) if quoted else None
    except LogRefused as exc:
        print(f"proctor: {exc}", file=sys.stderr)
        return 2
    out: dict[str, object] = {
        "events": head,
        "intact": damage is None,
        "first_broken_seq": None if damage is None else damage.seq,
        "missing": 0 if damage is None else damage.missing,
        "kinds": kinds,
    }
    if quoted:
        out["report_matches"] = held == quoted.group(2)
    print(json.dumps(out, ensure_ascii=False))
    if damage is not None:
        print(f"proctor: {db}: {damage.what}", file=sys.stderr)
        return 1
    if quoted and held != quoted.group(2):
        why = "日志中没有该序号的事件" if held is None else "摘要与日志不符"
        print(f"proctor: 报告与考场数据不符：{why} (the report does not match the log)", file=sys.stderr)
        return 1
    return 0


def cmd_credentials(args: argparse.Namespace) -> int:
    """One file per exam machine, holding its own key only, and one for remote consoles: what a
    technician installs on each machine before the exam (docs/security.md)."""
    from .link.auth import Credential

    package = _load(args.package)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    creds = [Credential.machine(package.room_key, mc.id, package.room) for mc in package.machines]
    for cred in [*creds, Credential.console(package.room_key, package.room)]:
        path = out / f"{cred.name}.json"
        path.write_text(cred.to_json() + "\n", encoding="utf-8")
        path.chmod(0o600)
    print(json.dumps({"written": len(creds) + 1, "out": str(out), "server_key_sha256": creds[0].pin}), flush=True)
    return 0


def _master_key(path: str) -> bytes:
    from .domain.authcode import parse_key

    try:
        return parse_key(Path(path).read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"--key-file {path}: {exc} (the file holds the master key as 64 hex digits)") from None


def cmd_authcode_issue(args: argparse.Namespace) -> int:
    """The provincial office's tool: the code that answers a room's request (docs/authorization-codes.md)."""
    from .domain import authcode

    master = _master_key(args.key_file)
    request = args.request.replace(" ", "").replace("-", "")
    if not authcode.well_formed(request):
        raise ValueError(
            f"--request {args.request}: a request code is {authcode.CODE_LENGTH} digits and its check digit "
            "does not match; ask the room to read it again"
        )
    if args.op == "delayed_start":  # R17: bound to the sitting, not to candidates
        from .domain.start import code_subject

        if args.sitting is None or args.tickets is not None:
            raise ValueError("--op delayed_start: give --sitting (the sitting's number), not --tickets")
        tickets = list(code_subject(args.sitting))
    else:
        tickets = [t.strip() for t in (args.tickets or "").split(",") if t.strip()]
        if not tickets or len(set(tickets)) != len(tickets):
            raise ValueError("--tickets: one or more ticket numbers, comma-separated, each once")
    if not 1 <= args.minutes <= 600:
        raise ValueError("--minutes: whole minutes, 1 to 600")
    key = authcode.room_code_key(master, args.room)
    code = authcode.authorization_code(key, args.room, request, args.op, args.minutes, tickets)
    print(
        json.dumps(
            {
                "code": code,
                "room": args.room,
                "request": request,
                "op": args.op,
                "minutes": args.minutes,
                **({"sitting": args.sitting} if args.op == "delayed_start" else {"tickets": sorted(tickets)}),
            },
            ensure_ascii=False,
        ),
        flush=True,
    )
    return 0


def cmd_authcode_room_key(args: argparse.Namespace) -> int:
    """The room's key for its exam package (`authcode_key`), derived from the master."""
    from .domain import authcode

    key = authcode.room_code_key(_master_key(args.key_file), args.room)
    print(json.dumps({"room": args.room, "authcode_key": key.hex()}, ensure_ascii=False), flush=True)
    return 0


def cmd_do(args: argparse.Namespace) -> int:
    """A console command from the command line: the same table, the same checks, the same log."""
    import msgspec

    cmd_type = args.command_type
    fields = {f.name: getattr(args, f"field_{f.name}") for f in msgspec.inspect.type_info(cmd_type).fields}
    try:
        cmd = msgspec.convert({k: v for k, v in fields.items() if v is not None}, cmd_type)
    except msgspec.ValidationError as exc:
        raise ValueError(f"{args.do}: {exc}") from None
    return _as_console(args, lambda client: client.request(cmd))


def _yes_no(text: str) -> bool:
    answers = {"yes": True, "no": False, "true": True, "false": False, "是": True, "否": False}
    if text.strip().lower() not in answers:
        raise argparse.ArgumentTypeError(f"say yes or no, not {text!r}")
    return answers[text.strip().lower()]


def _add_command_doors(sub: argparse._SubParsersAction) -> None:
    """`proctor do COMMAND --field value`: one subcommand per console command, built from the
    command structs themselves (proctor.domain.commands)."""
    import msgspec

    from .domain.commands import COMMAND_TYPES, command_name

    do = sub.add_parser("do", help="give the room service a console command, as a console would")
    do.add_argument("--connect", required=True, help="wss://HOST:PORT")
    do.add_argument("--package", required=True, help="exam package directory (the room key)")
    do.add_argument("--by", help="the signed-in room proctors giving the command, comma-separated")
    commands = do.add_subparsers(dest="do", required=True)
    for cmd_type in COMMAND_TYPES:
        name = command_name(cmd_type)
        p = commands.add_parser(name.replace("_", "-"), help=cmd_type.help)
        for f in msgspec.inspect.type_info(cmd_type).fields:
            kind = f.type.types[0] if isinstance(f.type, msgspec.inspect.UnionType) else f.type
            opts: dict = {"dest": f"field_{f.name}", "required": f.required, "metavar": f.name.upper()}
            if isinstance(kind, msgspec.inspect.IntType):
                opts["type"] = int
            elif isinstance(kind, msgspec.inspect.BoolType):
                opts["type"] = _yes_no
                opts["metavar"] = "yes|no"
            elif isinstance(kind, (msgspec.inspect.VarTupleType, msgspec.inspect.ListType)):
                opts["nargs"] = "+"
            elif isinstance(kind, msgspec.inspect.EnumType):  # e.g. a reason: its words listed
                opts["choices"] = [e.value for e in kind.cls]
            elif isinstance(kind, msgspec.inspect.LiteralType):  # e.g. a room form's name
                opts["choices"] = [str(v) for v in kind.values]
            words = [f"one of {', '.join(opts['choices'])}"] if "choices" in opts else []
            if not f.required:
                words.append(f"default {getattr(f.default, 'value', f.default)!r}")
            if words:
                opts["help"] = "; ".join(words)
            p.add_argument(f"--{f.name.replace('_', '-')}", **opts)
        p.set_defaults(func=cmd_do, command_type=cmd_type)


# -- standalone exam 单机考试 (docs/standalone.md) ------------------------------------------------


def cmd_sim_standalone(args: argparse.Namespace) -> int:
    """The offline exam machine: open the package with this machine's own key, answer on, and
    write the sealed result into --out."""
    from .link.auth import Credential
    from .sim.standalone import run_offline
    from .standalone import SealError

    try:
        cred = Credential.from_json(Path(args.credential).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"--credential {args.credential}: not a credential file ({exc})") from None
    try:
        data = Path(args.standalone_package).read_bytes()
    except OSError as exc:
        raise ValueError(f"--package {args.standalone_package}: {exc}") from None
    if not args.out.is_dir():
        raise ValueError(f"--out {args.out}: no such folder")
    if args.saves < 0 or args.saves > 1000:
        raise ValueError("--saves: 0 to 1000")
    try:
        run = run_offline(cred, data, saves=args.saves, id_number=args.id_number)
    except SealError as exc:
        print(f"proctor: refused: {exc.zh} ({exc.en})", file=sys.stderr)
        return 1
    path = args.out / run.file_name
    path.write_bytes(run.result)
    h = run.package.header
    last_seq = run.saves[-1].seq if run.saves else run.package.last_seq
    print(
        json.dumps(
            {"result": str(path), "ticket": h.ticket, "machine": h.machine, "package_id": h.package_id,
             "saves": len(run.saves), "last_seq": last_seq},
            ensure_ascii=False,
        ),
        flush=True,
    )  # fmt: skip
    return 0


def cmd_standalone(args: argparse.Namespace) -> int:
    """The technician's door to the standalone exam: export, import, write off."""

    def work(client: Any) -> Awaitable[dict[str, Any]]:
        if args.standalone == "export":
            return client.export_standalone(args.ticket, args.machine, args.chief, args.reason, args.out)
        if args.standalone == "import":
            return client.import_standalone(args.result)
        return client.write_off_standalone(args.package_id, args.reason, client.proctors)

    return _as_console(args, work)


def _as_console(args: argparse.Namespace, work: Callable[[Any], Awaitable[dict[str, Any]]]) -> int:
    """Connect as the room's console (the package's key), with the proctors of `--by`, do `work`,
    and print its result as one JSON line, or the refusal with its rule, in words (exit 1)."""
    from .link.auth import Credential
    from .link.console_client import CommandRefused, ConsoleClient, FileProblem, NotConnected

    package = _load(args.package)
    by = tuple(n for n in (args.by or "").split(",") if n)

    async def main() -> dict[str, Any]:
        client = ConsoleClient(args.connect, Credential.console(package.room_key, package.room))
        client.proctors = by
        client.start()
        try:
            for _ in range(100):
                if client.view.connected:
                    break
                await asyncio.sleep(0.1)
            else:
                raise NotConnected(client.last_error or "no answer")
            return await work(client)
        finally:
            await client.stop()

    try:
        result = asyncio.run(main())
    except NotConnected as exc:
        sys.exit(f"proctor: cannot reach the room service at {args.connect}: {exc}")
    except FileProblem as exc:
        print(f"proctor: {exc.zh} ({exc})", file=sys.stderr)
        return 1
    except CommandRefused as r:
        rule = f" [{r.rule}]" if r.rule else ""
        allow = f"\n{r.allow_zh} ({r.allow})" if r.allow else ""
        print(f"proctor: refused{rule}: {r.message_zh} ({r.message}){allow}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


def _add_standalone_sim(sim: argparse.ArgumentParser) -> None:
    modes = sim.add_subparsers(dest="sim_mode")
    s = modes.add_parser("standalone", help="an offline exam machine in a standalone exam (单机考试)")
    s.add_argument("--credential", required=True, help="this exam machine's credential file (proctor credentials)")
    s.add_argument("--package", required=True, dest="standalone_package", help="the standalone package file")
    s.add_argument("--out", required=True, type=Path, help="folder for the result file")
    s.add_argument("--saves", type=int, default=3, help="saves the candidate makes offline")
    s.add_argument("--id-number", help="the candidate's ID number, checked as at the offline login")


def _add_standalone(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("standalone", help="standalone exam (单机考试): export a package, import its result")
    p.add_argument("--connect", required=True, help="wss://HOST:PORT")
    p.add_argument("--package", required=True, help="exam package directory (the room key)")
    p.add_argument("--by", required=True, help="the signed-in room proctors giving the command, comma-separated")
    ops = p.add_subparsers(dest="standalone", required=True)
    e = ops.add_parser("export", help="export a candidate's package for an exam machine (chief examiner's consent)")
    e.add_argument("--ticket", required=True)
    e.add_argument("--machine", required=True, help="the exam machine that will run it")
    e.add_argument("--chief", required=True, help="the chief examiner (主考) who consented")
    e.add_argument("--reason", required=True)
    e.add_argument("--out", required=True, type=Path, help="folder to write the package into (the USB stick)")
    i = ops.add_parser("import", help="recover the answers of a result file")
    i.add_argument("--result", required=True, type=Path)
    w = ops.add_parser("write-off", help="record a package as unrecoverable (--by names two proctors)")
    w.add_argument("--package-id", required=True)
    w.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_standalone)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="proctor", description="Room proctor console, headless core")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run the room service for one exam package")
    s.add_argument("--package", required=True, help="exam package directory")
    s.add_argument("--db", required=True, help="SQLite event log (created if missing)")
    s.add_argument("--listen", default="127.0.0.1:8765", help="HOST:PORT (port 0 picks one)")
    s.add_argument("--start-at", help="rehearsal: move the schedule so sitting 1 starts then (now, now+2m, ISO)")
    s.add_argument("--time-scale", type=float, default=1.0, help="rehearsal: exam seconds per real second")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("sim", help="simulate exam machines against a room service")
    s.add_argument("--connect", help="wss://HOST:PORT (required)")
    s.add_argument("--package", help="exam package directory (required)")
    s.add_argument("--machines", type=int, help="(required)")
    s.add_argument("--duration", type=float, help="seconds (required)")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--save-every", type=float, default=3.0, help="seconds between saves")
    s.add_argument(
        "--operations",
        type=float,
        metavar="SECONDS",
        help="proctors at a console apply an operation (extra time, …) about this often while the machines answer",
    )
    s.set_defaults(func=cmd_sim)
    _add_standalone_sim(s)

    s = sub.add_parser("backup-open", help="open a room's encrypted backup with its exam package (R15, R56)")
    s.add_argument("--package", required=True, help="the room's exam package directory")
    s.add_argument("--file", required=True, help="the .proctor-backup file")
    s.add_argument("--out", required=True, help="where to write the zip (room.db and evidence/)")
    s.set_defaults(func=cmd_backup_open)

    s = sub.add_parser("report", help="the room situation report (考场情况报告单) from the room's log, as a PDF")
    s.add_argument("--package", required=True, help="the room's exam package directory")
    s.add_argument("--db", required=True, help="the room's log (room.db)")
    s.add_argument("--pdf", required=True, help="where to write the PDF")
    s.add_argument(
        "--form",
        choices=["report", "violations", "transfers", "incident"],
        default="report",
        help="report: the room situation report; violations: 考场违纪情况记录单, a sheet a violation; "
        "transfers: 应试人员跨考场调动单; incident: one incident (--incident N)",
    )
    s.add_argument("--incident", type=int, default=1, help="the incident's number, with --form incident")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("flows", help="the incident flowcharts (resources/flows)")
    flows = s.add_subparsers(dest="flows", required=True)
    f = flows.add_parser(
        "check",
        help="reject a chart with an unreachable step, a dead end, an unknown operation, a threshold against its profile or a missing citation",
    )
    f.add_argument("files", nargs="*", help="charts to check (default: the shipped ones)")
    f.set_defaults(func=cmd_flows_check)

    s = sub.add_parser(
        "audit", help="check that a room's event log is intact (its hash chain), and a printed report against it"
    )
    s.add_argument("--db", required=True)
    s.add_argument("--digest", help="a printed report's digest, as its QR code reads: proctor-log:SEQ:HASH")
    s.set_defaults(func=cmd_audit)

    s = sub.add_parser("demo-roster", help="write a realistic exam package with invented people")
    s.add_argument("--candidates", type=int, required=True)
    s.add_argument("--machines", type=int, required=True)
    s.add_argument("--out", required=True, type=Path)
    s.add_argument("--start", help="first sitting's start (now+10m, ISO); default the next full 10 minutes")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--sittings", type=int, choices=(1, 2), default=1)
    s.add_argument("--overbooked", action="store_true")
    s.add_argument("--policy")
    s.set_defaults(func=cmd_demo_roster)

    s = sub.add_parser(
        "credentials", help="write each exam machine's credential file, and the console's, from the package"
    )
    s.add_argument("--package", required=True)
    s.add_argument("--out", required=True, type=Path, help="folder for <machine>.json and console.json")
    s.set_defaults(func=cmd_credentials)

    s = sub.add_parser("authcode", help="the provincial office's authorization codes (docs/authorization-codes.md)")
    codes = s.add_subparsers(dest="authcode", required=True)
    room_help = "the room as codes name it: the package's site and room joined by '|' (温州市第一考点|第01考场)"
    c = codes.add_parser("issue", help="the code that answers a room's request code")
    c.add_argument("--key-file", required=True, help="the province's master key (64 hex digits)")
    c.add_argument("--room", required=True, help=room_help)
    c.add_argument("--request", required=True, help="the request code the room read out")
    c.add_argument("--op", default="extra_time", choices=("extra_time", "delayed_start"))
    c.add_argument("--minutes", type=int, required=True)
    c.add_argument("--tickets", help="extra_time: ticket numbers, comma-separated")
    c.add_argument("--sitting", type=int, help="delayed_start: the sitting's number")
    c.set_defaults(func=cmd_authcode_issue)
    c = codes.add_parser("room-key", help="a room's key for its exam package (authcode_key)")
    c.add_argument("--key-file", required=True, help="the province's master key (64 hex digits)")
    c.add_argument("--room", required=True, help=room_help)
    c.set_defaults(func=cmd_authcode_room_key)

    _add_command_doors(sub)
    _add_standalone(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    try:
        return args.func(args)
    except ValueError as exc:
        sys.exit(f"proctor: {exc}")


if __name__ == "__main__":
    sys.exit(main())
