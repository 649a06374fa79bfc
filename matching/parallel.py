"""A second process for the CLI's batch work, by fork: the machines this runs on have two or
more cores, and the benchmark measures the whole process against multithreaded peers.

Only the command line uses this. The app never forks (its workers are gunicorn processes
already), and a library that forks inside a web worker would surprise everyone.
"""
from __future__ import annotations

import os
import sys
import tempfile
from typing import Callable


def cores() -> int:
    """How many CPUs this process may run on (1 where the platform cannot tell)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def spare_core() -> bool:
    """Whether a second process would find an idle core: two or more CPUs and a one-minute
    load average (which counts this process) below ``cores - 0.5``, as ``make -l`` decides.

    On a busy machine the helper only competes with the neighbours for the same cores, and
    it costs 10-20 % more CPU in total than one process (fork, copy-on-write page faults,
    a second vocabulary and caches): measured on the shared 2-core box at load ~2, one
    process was faster in wall time as well.
    """
    n = cores()
    if n < 2:
        return False
    try:
        return os.getloadavg()[0] < n - 0.5
    except (AttributeError, OSError):  # no load average on this platform: assume idle
        return True


class Forked:
    """Run ``fn() -> bytes`` in a forked child; :meth:`result` waits and returns the bytes.

    The child's bytes come back through an unlinked temporary file, so neither side can
    block on a full pipe. Any failure in the child (or no fork on this platform) makes
    :meth:`result` return None and the caller does the work itself: forking is only ever
    an optimisation.
    """

    def __init__(self, fn: Callable[[], bytes]):
        self.pid = 0
        self.file = None
        # Linux only: elsewhere fork() without exec() is unsafe once system frameworks are
        # loaded (macOS) or missing (Windows).
        if not sys.platform.startswith("linux") or cores() < 2:
            return
        self.file = tempfile.TemporaryFile()
        pid = os.fork()
        if pid == 0:  # child: never return into the caller's code, never run atexit hooks
            code = 1
            try:
                self.file.write(fn())
                self.file.flush()
                code = 0
            finally:
                os._exit(code)
        self.pid = pid

    def result(self) -> bytes | None:
        """Wait for the child.

        :returns: its bytes, or None if there was no child or it failed.
        """
        if not self.pid:
            return None
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        with self.file:
            if os.waitstatus_to_exitcode(status) != 0:
                return None
            self.file.seek(0)
            return self.file.read()
