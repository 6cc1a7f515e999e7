"""The one error a reader raises for a file it cannot turn into a Document."""

from __future__ import annotations


class UnreadableReport(Exception):
    """A file that cannot be read as a report (unknown type, empty, scanned, corrupt).

    ``reason`` is a sentence a person can act on and names the file; the extractor
    stores it as the quarantine ``status_reason``.
    """

    def __init__(self, reason: str, source_file: str = "") -> None:
        self.reason = reason
        self.source_file = source_file
        super().__init__(reason)
