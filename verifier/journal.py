"""Journals: the one mechanism behind every resumable computation (catalog region tables, census checkpoints,
reproduce's finished sections) and the one way to key settings.

A journal is an append-only JSON-lines file. Its first line is a header naming what produced the records: the
instance's digest and every setting that changes a record, with `key`, the sha256 of their canonical JSON
(`settings_key`). Reading compares the whole header (every field and the key) before anything else, so a resumed run never reads another
instance's or another setting's records. An index whose folder already says what it belongs to (a census's
`regions.jsonl`) is a journal without a header (`header=None`): every line is a record. A last line cut short by
an interruption (no newline after it) is dropped on reading and cut before the next append (its record is
computed again, and the next record starts a line of its own); any other unreadable line is an error naming the
file and the line, since it means the file was edited or corrupted. Records pass through the one shared JSON
reader (`jsonfile.parse_json`), so numbers stay exact.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

from .errors import InputError
from .jsonfile import parse_json
from .numbers import format_rational

__all__ = ["Journal", "settings_key"]


def _canonical(value: Any) -> Any:
    if isinstance(value, Fraction):
        return format_rational(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def settings_key(*parts: Any) -> str:
    """sha256 (hex) of the canonical JSON of `parts`: keys sorted, no spaces, exact rationals as "p/q". Equal
    settings give equal keys on every machine; this is the only place settings are hashed."""
    text = json.dumps(_canonical(list(parts)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class Journal:
    """An append-only JSON-lines file at `path` bound to `header` (a dict of what the records depend on; None for
    a journal without a header line, whose every line is a record).

    `records()` reads what an earlier run wrote (none when there is no file); `append(record)` adds one line and
    flushes it, writing the header first if the file is new. `owner` names the option or field the file came
    from in error messages (e.g. "checkpoint"). `path=None` journals nothing: `records()` is empty and
    `append` does nothing, so callers need no branch for "no checkpoint"."""

    def __init__(self, path: str | Path | None, header: dict | None, owner: str = "checkpoint"):
        self.path = Path(path) if path is not None else None
        self.header = dict(_canonical(header), key=settings_key(header)) if header is not None else None
        self.key = self.header["key"] if header is not None else None
        self.owner = owner
        self._handle: IO[str] | None = None

    def records(self) -> list[dict]:
        """The records of an earlier run, in the order they were appended (a torn last line left out)."""
        if self.path is None or not self.path.exists():
            return []
        data = self.path.read_bytes()
        lines = data[: data.rfind(b"\n") + 1].split(b"\n")[:-1]     # whole lines only: a torn last one is dropped
        if self.header is not None and lines:
            try:
                header = json.loads(lines[0])
            except (json.JSONDecodeError, UnicodeDecodeError):
                header = None
            if header != json.loads(json.dumps(self.header)):      # every field, not only the key
                raise InputError(self.owner, f"{self.path} belongs to another instance, width or settings")
        first = 1 if self.header is None else 2
        return [parse_json(line, f"{self.path} line {number}") for number, line in enumerate(lines[first - 1:], first)]

    def append(self, record: dict) -> None:
        """Append one record (JSON-serialisable; exact numbers as "p/q" strings) and flush it to disk."""
        if self.path is None:
            return
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists():
                self._drop_torn_line()
            fresh = not self.path.exists() or self.path.stat().st_size == 0
            self._handle = self.path.open("a")
            if fresh and self.header is not None:
                self._handle.write(json.dumps(self.header, sort_keys=True) + "\n")
        self._handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._handle.flush()

    def _drop_torn_line(self) -> None:
        """Cut a last line without its newline (an interrupted write), so the next record starts a line."""
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(end)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
