"""The WAL's sync in a process of its own, so that the event loop goes on while the disk syncs.

A serving log commits with synchronous=NORMAL: a commit writes its pages to the WAL and returns.
What makes it durable is an fdatasync of the WAL, which this process runs on request: the
service asks after each commit and acknowledges the commit's saves once the sync that answers
the ask has returned. Asks that come while the disk syncs share the next sync (a pipelined
group commit), and the loop reads, checks and writes the next saves meanwhile. A process and
not a thread: a thread coming back from the disk waits for the GIL, up to the switch interval,
behind the busy loop it means to relieve, and this process shares no lock with the service. Checkpoints (another connection) sync
the WAL before they copy it and the database before the WAL is reused, as they always do.

The wire between them is two pipes and 8 bytes of shared memory. The process says "R" once it
runs; the service writes one byte to ask for a sync; after each sync the process stores how many
asks its syncs have covered so far (asks that came while it synced share the next sync), then
answers one byte for each ask that sync covered, or a line starting with "E" and its error
before it exits. The answer wakes an idle loop; the stored count lets a busy one learn of a
sync between any two messages (`synced()`), not only when it next polls the pipe. (POSIX only,
as is the loop's watch on the pipe.)

Where it may (root, or CAP_SYS_NICE), the process runs under the real-time FIFO policy, else at
a higher nice level, else as it is: it needs the CPU only for a few microseconds a sync, but
needs them at once. With both cores busy, one fdatasync in a thousand took 4.3 ms at normal
priority against 0.23 ms under FIFO; the sync itself 0.11-0.14 ms at the median either way.
"""

from __future__ import annotations

import mmap
import os
import select
import subprocess
import sys
import tempfile
from pathlib import Path

START_TIMEOUT_S = 10.0

# Runs with -I -S: nothing of this package, nothing from site, starts in ~15 ms.
_SYNCER = r"""
import mmap, os, sys
try:  # back from the disk, run at once, not after the busy processes' turn (where allowed)
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
except (AttributeError, OSError):
    try:
        os.nice(-10)
    except (AttributeError, OSError):
        pass
wal, folder = sys.argv[1], os.path.dirname(os.path.abspath(sys.argv[1]))
synced = memoryview(mmap.mmap(int(sys.argv[2]), 8)).cast("Q")
covered = 0
fd = -1
os.write(1, b"R")
while True:
    asked = os.read(0, 64)
    if not asked:
        break
    try:
        if fd < 0 or os.fstat(fd).st_ino != os.stat(wal).st_ino:
            if fd >= 0:
                os.close(fd)
            fd = os.open(wal, os.O_RDWR)
            d = os.open(folder, os.O_RDONLY)  # the WAL's own name must outlast a power cut too
            try:
                os.fsync(d)
            finally:
                os.close(d)
        getattr(os, "fdatasync", os.fsync)(fd)
    except OSError as exc:
        os.write(1, ("E%s\n" % exc).encode())
        sys.exit(1)
    covered += len(asked)
    synced[0] = covered
    os.write(1, b"." * len(asked))
"""


class SyncFailed(OSError):
    """The WAL could not be synced: what was written since the last sync may not be on disk."""


class WalSyncer:
    """The sync process of one log's WAL. `ask()` starts a sync, `fileno()` becomes readable
    when it is done, and `done()` then says so (or raises `SyncFailed`); `synced()` says so
    sooner, without a read."""

    def __init__(self, wal: Path) -> None:
        self.wal = wal
        with tempfile.TemporaryFile() as shared:
            shared.truncate(8)
            self._shared = mmap.mmap(shared.fileno(), 8)
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _SYNCER, str(wal), str(shared.fileno())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                bufsize=0,
                close_fds=True,
                pass_fds=(shared.fileno(),),
            )
        self._synced = memoryview(self._shared).cast("Q")  # asks the process's syncs have covered
        self._asks = self._answered = 0
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._ask_fd = self._proc.stdin.fileno()
        self._answer_fd = self._proc.stdout.fileno()
        ready, _, _ = select.select([self._answer_fd], [], [], START_TIMEOUT_S)
        if not ready or os.read(self._answer_fd, 1) != b"R":
            self.close()
            raise self._failure(f"the sync process did not start within {START_TIMEOUT_S:.0f} s")
        os.set_blocking(self._answer_fd, False)

    @property
    def asked(self) -> int:
        """Syncs asked for and not yet counted as answered."""
        return self._asks - self._answered

    @property
    def pid(self) -> int:
        return self._proc.pid

    def fileno(self) -> int:
        return self._answer_fd

    def ask(self) -> None:
        try:
            os.write(self._ask_fd, b".")
        except OSError as exc:
            raise self._failure(f"the sync process is gone ({exc})") from None
        self._asks += 1

    def done(self) -> int:
        """How many asks have been answered since they were last counted (0: none yet), once
        the answer is read; raises `SyncFailed` if the answer is a failure."""
        try:
            answer = os.read(self._answer_fd, 4096)
        except BlockingIOError:
            return self.synced()
        if not answer or b"E" in answer:
            what = answer.partition(b"E")[2].decode(errors="replace").strip()
            raise self._failure(what or "the sync process ended")
        return self.synced()

    def synced(self) -> int:
        """How many asks the disk's syncs have covered since the last call: read from memory
        the process shares, so that the loop can look between any two messages."""
        n = self._synced[0] - self._answered
        self._answered += n
        return n

    def wait(self) -> None:
        """Block until every ask has been answered (an `append` that syncs)."""
        os.set_blocking(self._answer_fd, True)
        try:
            while self.asked > 0:
                self.done()
        finally:
            os.set_blocking(self._answer_fd, False)

    def _failure(self, what: str) -> SyncFailed:
        return SyncFailed(f"{self.wal}: the write-ahead file could not be synced: {what}")

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()
        self._synced.release()
        self._shared.close()
