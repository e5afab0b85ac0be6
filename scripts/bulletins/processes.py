"""Worker processes that never outlive the command that started them, and commands that
stop cleanly on SIGINT, SIGTERM and SIGHUP.

- A worker (a renderer of build.py, a process of a ``worker_pool``) is started with
  those signals blocked (``start``), so a Ctrl+C that reaches it before it is ready cannot
  make it print a traceback; its first act (``worker_started``) asks the kernel to SIGKILL it
  when its parent ends, however the parent ends (PR_SET_PDEATHSIG, Linux).
- A renderer also becomes the leader of its own process group, which everything it starts
  (Pagefind) joins, and forks a tiny guard that SIGKILLs the whole group as soon as the
  renderer is gone: a parent-death signal is not inherited by grandchildren. The build
  stops a renderer with ``kill_group``. The terminal's Ctrl+C reaches the build only, which
  decides.
- ``stop_on_signals`` turns SIGINT, SIGTERM and SIGHUP into one ``Stopped`` exception in the
  main thread, so every ``except``/``finally`` of the build cleans up; ``hold_signals`` (just
  before the swap) makes the rest of the build uninterruptible, the signal being remembered.
  A command that runs until stopped (the preview) uses ``stop_at_first_signal`` instead.
- Both set their handlers even when the command was started with SIGINT ignored (as ``… &``
  does in a script): a stop signal always stops it cleanly.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Stopped(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP asked the command to stop."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


@dataclass
class StopState:
    armed: bool = False
    signum: int | None = None  # a signal that came while held


_stop = StopState()


@contextlib.contextmanager
def stop_on_signals():
    """While inside (main thread only), the first SIGINT, SIGTERM or SIGHUP raises ``Stopped``;
    later ones, or any after ``hold_signals()``, are only remembered in the state yielded."""
    def handler(signum, frame):
        if _stop.armed:
            _stop.armed = False  # at most one Stopped: the cleanup it starts is never cut short
            raise Stopped(signum)
        _stop.signum = _stop.signum or signum

    _stop.armed, _stop.signum = True, None
    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield _stop
    finally:
        _stop.armed = False
        for sig, old in previous.items():
            signal.signal(sig, old)


def stop_at_first_signal() -> None:
    """For the rest of the process (main thread only), the first SIGINT, SIGTERM or SIGHUP
    raises ``Stopped``; later ones are ignored, so the cleanup it starts is never cut short."""
    def handler(signum, frame):
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        raise Stopped(signum)

    for sig in STOP_SIGNALS:
        signal.signal(sig, handler)


def hold_signals() -> None:
    """From now on a stop signal no longer interrupts (no-op outside ``stop_on_signals``)."""
    _stop.armed = False


@contextlib.contextmanager
def _signals_blocked():
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def start(process: multiprocessing.process.BaseProcess) -> None:
    """Start ``process`` with the stop signals blocked; it unblocks them in ``worker_started``."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # it unblocks the signals itself when it first starts
    with _signals_blocked():
        process.start()


@contextlib.contextmanager
def worker_pool(workers: int):
    """A spawn Pool whose workers die with the process that made it and ignore the
    terminal's Ctrl+C (the parent stops them); use as ``with worker_pool(n) as pool:``."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    with _signals_blocked():
        pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_pool_worker_started)
    with pool:
        yield pool


def _pool_worker_started() -> None:
    worker_started(own_group=False)


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when the thread that started it ends; exit at
    once if the parent is already gone. Linux only (elsewhere: nothing)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():
        os._exit(1)


_guard_pipe: int | None = None  # this process's end of the guard's pipe, open until it ends


def worker_started(own_group: bool) -> None:
    """The first call in a worker started by ``start`` (or a ``worker_pool``).

    ``own_group``: become a process group leader with a guard that kills the group when this
    process ends (for workers that start processes of their own). Stop signals then end the
    worker silently; without ``own_group`` (still in the terminal's group) Ctrl+C is ignored."""
    die_with_parent()
    if own_group:
        os.setpgid(0, 0)
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may still write to the terminal
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_DFL)
        _fork_guard()
    else:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _fork_guard() -> None:
    global _guard_pipe
    read, write = os.pipe()  # not inheritable: only this process holds ``write``
    if os.fork() == 0:
        try:
            _close_all_but(read)
            while os.read(read, 1):  # b'' once the worker has ended, however it ended
                pass
            os.killpg(0, signal.SIGKILL)  # the worker's group, this guard included (which
            # keeps the stop signals blocked: only this SIGKILL ends it)
        finally:
            os._exit(0)
    os.close(read)
    _guard_pipe = write


def _close_all_but(keep: int) -> None:
    try:
        fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        fds = range(os.sysconf("SC_OPEN_MAX"))
    for fd in fds:
        if fd != keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def kill_group(process: multiprocessing.process.BaseProcess, seconds: float = 5) -> None:
    """SIGKILL a worker started with ``own_group`` and everything it started, reap it, and
    wait (at most ``seconds``) until no process of its group is left running."""
    if process.pid is None:
        return  # never started
    if process.exitcode is None:  # not reaped yet, so its pid (its group's id) is not reused
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # no such group yet: the worker is not ready
        process.kill()
        process.join()
    deadline = time.monotonic() + seconds
    while group_running(process.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def group_running(pgid: int) -> bool:
    """Whether a process of group ``pgid`` is still running (zombies do not count)."""
    if not os.path.isdir("/proc"):
        return False
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
            return True
    return False
