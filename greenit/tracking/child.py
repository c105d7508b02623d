"""The tracked command as a child process: its own process group, dying with greenit, job control.

- The command runs in its own process group, so that greenit can signal it with everything
  it started (a shell script's children, data-loader workers): ``killpg`` reaches them all.
- On Linux the command is asked to die with greenit (``PR_SET_PDEATHSIG``): if greenit is
  killed with SIGKILL, the command is not left running unmeasured. Its own children are not
  reached that way (the kernel signals only the direct child).
- In a terminal, the command's group is given the terminal (as a shell does with a job), so
  that it can read the keyboard (``input()``, a debugger) and Ctrl-C / Ctrl-Z reach it
  directly; when it stops (Ctrl-Z), greenit stops too, and both resume together.

Nothing here measures: :mod:`greenit.tracking.supervisor` wraps it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def exit_code_of(status: int) -> int:
    """A ``waitpid`` status as a shell reports it: the exit code, or 128 + N for signal N.

    >>> exit_code_of(3 << 8), exit_code_of(signal.SIGTERM)
    (3, 143)
    """
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _die_with_parent_hook() -> Callable[[], None] | None:
    """A function for the forked child that makes it receive SIGKILL when greenit dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # greenit died before the request took effect
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


def _controlling_terminal() -> int | None:
    """A descriptor of greenit's controlling terminal, if it has one (None in batch jobs)."""
    if os.name != "posix" or threading.current_thread() is not threading.main_thread():
        return None  # only the main thread may change signal handlers (SIGTTOU, see below)
    try:
        return os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None


def _foreground_group(fd: int) -> int | None:
    try:
        return os.tcgetpgrp(fd)
    except OSError:
        return None


def _give_terminal(fd: int, group: int) -> None:
    """Make ``group`` the terminal's foreground group, even from a background group."""
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(fd, group)
    except OSError:
        pass
    finally:
        signal.signal(signal.SIGTTOU, previous)


class Child:
    """The command, started in its own process group; ``wait`` returns its shell exit code."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.command, self.env = command, env  # env: the command's environment (None: greenit's)
        self.process: subprocess.Popen | None = None
        self.signal_number: int | None = None  # the signal that ended the command, if one did
        self._terminal: int | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def start(self) -> None:
        """Start the command (``OSError`` when it cannot be run: not found, not executable)."""
        options: dict = {}
        if os.name == "posix":
            self._terminal = _controlling_terminal()
            foreground = self._terminal is not None and _foreground_group(self._terminal) == os.getpgrp()
            terminal = self._terminal if foreground else None
            die_with_parent = _die_with_parent_hook()

            def in_child() -> None:
                if die_with_parent is not None:
                    die_with_parent()
                if terminal is not None:  # as a shell gives a job the terminal
                    _give_terminal(terminal, os.getpgrp())

            options = {"process_group": 0, "preexec_fn": in_child}
        else:
            foreground = False
        try:
            self.process = subprocess.Popen(self.command, env=self.env, **options)
        except BaseException:
            self._close_terminal()
            raise
        if foreground and self._terminal is not None:
            _give_terminal(self._terminal, self.process.pid)

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the command's whole process group (to the command alone on Windows)."""
        if not self.running or self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.name == "posix":
                os.killpg(self.process.pid, signum)
            else:
                self.process.send_signal(signum)

    def wait(self) -> int:
        """Wait for the command to end; its exit code, 128 + N when signal N ended it."""
        assert self.process is not None
        if os.name != "posix":
            return self.process.wait()
        assert self.process.pid is not None
        try:
            while True:
                options = os.WUNTRACED if self._terminal is not None else 0
                _, status = os.waitpid(self.process.pid, options)
                if os.WIFSTOPPED(status):
                    self._stop_with_child()
                    continue
                code = exit_code_of(status)
                if os.WIFSIGNALED(status):
                    self.signal_number = os.WTERMSIG(status)
                self.process.returncode = code
                return code
        finally:
            self._close_terminal()

    def _stop_with_child(self) -> None:
        """The command was stopped (Ctrl-Z, or it read the terminal from the background):
        take the terminal back if it had it, stop greenit too, and resume both together.
        """
        assert self.process is not None and self._terminal is not None
        if _foreground_group(self._terminal) == self.process.pid:
            _give_terminal(self._terminal, os.getpgrp())
        os.kill(os.getpid(), signal.SIGSTOP)
        # resumed (fg or bg): the command gets the terminal if greenit is in the foreground
        if _foreground_group(self._terminal) == os.getpgrp():
            _give_terminal(self._terminal, self.process.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGCONT)

    def _close_terminal(self) -> None:
        """Take the terminal back if the command's group holds it, or a group that has ended
        (a command that failed to start after it took the terminal).
        """
        if self._terminal is None:
            return
        holder = _foreground_group(self._terminal)
        ours = os.getpgrp()
        command = self.process.pid if self.process is not None else None
        if holder is not None and holder != ours and (holder == command or not _group_alive(holder)):
            _give_terminal(self._terminal, ours)
        with contextlib.suppress(OSError):
            os.close(self._terminal)
        self._terminal = None


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
