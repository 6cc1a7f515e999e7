"""Progress of a refresh for whoever watches it: the command line installs a reporter, the flow calls it.

The flow runs in the command's own process, so a module-level reporter is enough; a deployment
run (no reporter installed) reports nothing here and relies on the Prefect logs.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol


class Reporter(Protocol):
    def step(self, number: int, total: int, name: str, detail: str = "") -> None: ...

    def start_items(self, total: int, label: str) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def finish_items(self) -> None: ...


class NullReporter:
    """Reports nothing."""

    def step(self, number: int, total: int, name: str, detail: str = "") -> None:
        pass

    def start_items(self, total: int, label: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def finish_items(self) -> None:
        pass


class ConsoleReporter:
    """Step lines and a progress bar (rich) on stderr; the bar only for many items on a terminal."""

    def __init__(self, min_items_for_bar: int = 20):
        from rich.console import Console

        self.console = Console(file=sys.stderr, highlight=False, soft_wrap=True)
        self.min_items_for_bar = min_items_for_bar
        self._progress: Any = None
        self._task = None

    def step(self, number: int, total: int, name: str, detail: str = "") -> None:
        self.console.print(f"[bold][{number}/{total}] {name}[/bold]" + (f" – {detail}" if detail else ""))

    def start_items(self, total: int, label: str) -> None:
        if total < self.min_items_for_bar:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn(f"  {label}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=total)

    def advance(self, n: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)

    def finish_items(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


_reporter: Reporter = NullReporter()


def set_reporter(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter or NullReporter()


def reporter() -> Reporter:
    return _reporter
