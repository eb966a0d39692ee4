"""A room form printed through a real CUPS queue, as the console prints it (ui.report_print:
a QPrinter on A4 in the printer's own format, painted by paint_pages): Debian's `cups` with the
`printer-driver-cups-pdf` back end, whose "printer" writes each job as a PDF file. The job must
complete and the printed file must hold the form's words.

The session fixture starts `cupsd` if none is running (its own configuration: the local socket
only, no network browsing; stopped again afterwards) and makes sure a queue `PDF` exists. It
installs the two packages when it runs as root and they are missing; it skips only where CUPS
cannot run at all."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

QUEUE = "PDF"
PACKAGES = ("cups", "printer-driver-cups-pdf")  # Debian: cupsd, lpadmin/lpstat, the cups-pdf back end
CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
DEADLINE_S = 60.0

T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = DEADLINE_S, every: float = 0.1) -> T:
    """Poll `probe` until it gives something; fail naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        time.sleep(every)


def run(*cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=60)


def cups_installed() -> bool:
    return (
        Path(CUPSD).exists()
        and all(shutil.which(t) for t in ("lpadmin", "lpstat", "lpinfo"))
        and CUPS_PDF_CONF.exists()
    )


def install_cups() -> None:
    """As the installer does (installer/setup.sh): Debian packages, without their recommends."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(
            f"CUPS is not installed and cannot be installed here (not root): apt-get install {' '.join(PACKAGES)}"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES],
    ):
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if done.returncode:
            pytest.fail(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")


def scheduler_running() -> bool:
    return run("lpstat", "-r", check=False).stdout.strip() == "scheduler is running"


def start_cupsd(folder: Path) -> subprocess.Popen[bytes]:
    """cupsd in the foreground, on the system's configuration less its network listeners and
    printer browsing: only this machine's local socket."""
    conf = Path("/etc/cups/cupsd.conf").read_text(encoding="utf-8")
    conf = re.sub(r"(?m)^\s*(Listen|Port)\s+(?!/).*$", "", conf)  # keep `Listen /run/cups/cups.sock`
    conf = re.sub(r"(?m)^\s*(Browsing|WebInterface)\s+.*$", "", conf)
    conf += "\nBrowsing No\nWebInterface No\n"
    if "Listen /" not in conf:
        conf += "Listen /run/cups/cups.sock\n"
    (folder / "cupsd.conf").write_text(conf, encoding="utf-8")
    with (folder / "cupsd.out").open("wb") as out:  # the child keeps its own copy
        proc = subprocess.Popen([CUPSD, "-f", "-c", str(folder / "cupsd.conf")], stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for("cupsd to answer", lambda: proc.poll() is not None or scheduler_running(), timeout=20)
    except AssertionError:
        proc.kill()
        raise
    if proc.poll() is not None:
        pytest.fail(f"cupsd exited ({proc.returncode}): {(folder / 'cupsd.out').read_text(errors='replace')[-2000:]}")
    return proc


def cups_pdf_model() -> str:
    """The installed cups-pdf PPD, as lpinfo names it (lsb/usr/cups-pdf/CUPS-PDF_opt.ppd on Debian 12)."""
    models = [line.split()[0] for line in run("lpinfo", "-m").stdout.splitlines() if "cups-pdf" in line.lower()]
    if not models:
        pytest.fail("no cups-pdf driver in `lpinfo -m`: apt-get install printer-driver-cups-pdf")
    return next((m for m in models if m.endswith("_opt.ppd")), models[0])


def ensure_queue() -> None:
    """The queue PDF, its PDF-to-PostScript step done by pdftocairo: the default (Ghostscript) turns
    the fonts into Type 3 glyphs without their characters, so the page prints right but its text
    cannot be read back from cups-pdf's file (seen with cups-filters 1.28, Debian 12)."""
    if run("lpstat", "-p", QUEUE, check=False).returncode != 0:
        added = run("lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-E", "-m", cups_pdf_model(), check=False)
        if added.returncode:
            if os.geteuid() != 0:
                pytest.skip(f"no CUPS queue {QUEUE} and lpadmin may not add one here: {added.stderr.strip()}")
            pytest.fail(f"lpadmin could not add the queue {QUEUE}: {added.stderr.strip()}")
    set_up = run("lpadmin", "-p", QUEUE, "-o", "pdftops-renderer-default=pdftocairo", check=False)
    if set_up.returncode:
        pytest.fail(f"lpadmin could not set up the queue {QUEUE}: {set_up.stderr.strip()}")
    run("cupsenable", QUEUE, check=False)
    run("cupsaccept", QUEUE, check=False)


def output_folder() -> Path:
    """Where cups-pdf writes a job of this user: its `Out` setting (Debian: ${HOME}/PDF)."""
    out = "/var/spool/cups-pdf/${USER}"  # cups-pdf's own default
    for line in CUPS_PDF_CONF.read_text(encoding="utf-8", errors="replace").splitlines():
        if re.match(r"^\s*Out\s+", line):
            out = line.split(None, 1)[1].strip()
    user = pwd.getpwuid(os.getuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


@pytest.fixture(scope="session")
def cups_queue(tmp_path_factory) -> Iterator[str]:
    """A CUPS queue named PDF whose jobs cups-pdf writes as PDF files; cupsd started if need be."""
    if not cups_installed():
        install_cups()
    started = None
    if not scheduler_running():
        if os.geteuid() != 0:
            pytest.skip("CUPS is not running and only root can start cupsd here")
        started = start_cupsd(tmp_path_factory.mktemp("cupsd"))
    try:
        ensure_queue()
        yield QUEUE
    finally:
        if started is not None:
            started.terminate()
            try:
                started.wait(timeout=20)
            except subprocess.TimeoutExpired:
                started.kill()
                started.wait()


def jobs(which: str) -> set[str]:
    """The queue's job ids, "completed" or "not-completed"."""
    listed = run("lpstat", "-W", which, "-o", QUEUE, check=False).stdout
    return {line.split()[0] for line in listed.splitlines() if line.strip()}


def pdf_text(pdf: Path) -> str:
    """The PDF's text without white space; empty while the file is not a whole PDF yet."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False)
    return "".join(out.stdout.split()) if out.returncode == 0 else ""


def test_a_room_form_printed_on_a_cups_queue_comes_out_whole(cups_queue, qapp):
    from PySide6.QtPrintSupport import QPrinter

    from proctor.report.render import QR_DIGEST, a4, report_html
    from tests.report.test_render import _report
    from ui.report_print import Form, installed_printers, paint_form, printer_problem

    assert cups_queue in installed_printers()  # what the console offers (also when Qt asked before cupsd ran)
    report = _report(3)
    form = Form("report", 0, report.title, report_html(report), {QR_DIGEST: "proctor-log:81:" + "ab" * 32}, 81)
    name = f"proctor-cups-{uuid.uuid4().hex[:8]}"
    out = output_folder()
    before = jobs("completed")

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(cups_queue)
    printer.setDocName(name)
    assert printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    printer.setPageLayout(a4())
    pages = paint_form(printer, form)  # the job goes to CUPS when the painting ends
    assert pages >= 1 and printer_problem(printer) is None

    done = wait_for("the job to complete (lpstat)", lambda: jobs("completed") - before)
    assert not jobs("not-completed") & done
    printed = wait_for(
        f"cups-pdf's file in {out}",
        lambda: [p for p in out.glob(f"*{name}*.pdf") if p.stat().st_size > 0 and pdf_text(p)],
    )
    text = pdf_text(printed[0])
    assert report.title in text and "330302199001011234" in text  # the title and a candidate's ID number
    assert f"1/{pages}" in text
    info = run("pdfinfo", str(printed[0])).stdout
    assert re.search(rf"(?m)^Pages:\s+{pages}$", info) and "595 x 842 pts (A4)" in info
    for p in printed:
        p.unlink()
