"""SIGINT and SIGTERM during a refresh: stop before publishing, or let a started publish finish.

The command line installs :func:`handling_signals`.  A signal before the publish raises
:class:`Interrupted` in the main thread (the flow then discards its build and logs the run as
``interrupted``); a signal while :func:`publishing` is only recorded, the publish finishes, and
the command exits 130 (SIGINT) or 143 (SIGTERM) afterwards either way.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_CODES: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 143}


class Interrupted(Exception):
    """The refresh was asked to stop by a signal."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


class _State:
    signum: int | None = None
    publishing: int = 0
    installed: bool = False


_state = _State()


def received() -> int | None:
    """The first stop signal received during this refresh, if any."""
    return _state.signum


def exit_code() -> int | None:
    return EXIT_CODES.get(_state.signum) if _state.signum else None


def _handler(signum: int, frame: object) -> None:
    _state.signum = _state.signum or signum
    if not _state.publishing:
        raise Interrupted(_state.signum)


def check() -> None:
    """Raise :class:`Interrupted` if a stop signal came (call between steps)."""
    if _state.signum and not _state.publishing:
        raise Interrupted(_state.signum)


@contextmanager
def publishing() -> Iterator[None]:
    """A section no signal interrupts: a signal in it is kept for the exit code."""
    _state.publishing += 1
    try:
        yield
    finally:
        _state.publishing -= 1


def reclaim() -> None:
    """Put this module's handlers back (Prefect's flow engine installs its own SIGTERM handler,
    which would raise in the middle of a publish); only where :func:`handling_signals` is active."""
    if _state.installed and threading.current_thread() is threading.main_thread():
        for s in EXIT_CODES:
            signal.signal(s, _handler)


@contextmanager
def handling_signals() -> Iterator[None]:
    """Install the handlers for SIGINT and SIGTERM (main thread only) for the length of a refresh."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {s: signal.getsignal(s) for s in EXIT_CODES}
    _state.signum, _state.installed = None, True
    for s in EXIT_CODES:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        for s, h in saved.items():
            signal.signal(s, h)
        _state.installed = False
