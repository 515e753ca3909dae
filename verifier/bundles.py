"""Certificate bundles: many certificates in one file, one compact JSON document per line.

A census classifies up to hundreds of thousands of sets, each behind its own certificate; as separate files they
took gigabytes (a 4 KB disk block each) and one `verifier check` process apiece. A bundle keeps them in one file,
`<name>.jsonl` while a run appends to it and `<name>.jsonl.gz` once it is finished, and a certificate is named by
its line, `<file>#<line>` (lines count from 1 and never move: the file is only appended to). `verifier check`
reads a bundle line by line through the one JSON reader, so each line is bounded like a certificate file.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

from .errors import CertificateMalformed
from .files import atomic_path
from .jsonfile import MAX_BYTES, parse_json

__all__ = ["SUFFIXES", "is_bundle", "read_bundle", "read_named", "BundleWriter"]

SUFFIXES = (".jsonl", ".jsonl.gz")


def is_bundle(path: str | Path) -> bool:
    return str(path).endswith(SUFFIXES)


def read_bundle(path: str | Path, progress: Callable[[int, int], None] | None = None, only: int | None = None
                ) -> Iterator[tuple[int, dict | CertificateMalformed]]:
    """(line number, document) for every non-empty line; a line that is not a JSON object under `jsonfile`'s
    rules (or longer than its MAX_BYTES) comes as a CertificateMalformed naming the line, and reading goes on.
    A file that cannot be read at all (or a damaged gzip stream) raises CertificateMalformed. `progress` is
    called with (bytes of the file read, its size) after each line; with `only`, just that line is parsed and
    yielded."""
    path = Path(path)
    try:
        with path.open("rb") as raw, (gzip.GzipFile(fileobj=raw) if path.name.endswith(".gz") else raw) as handle:
            size = os.fstat(raw.fileno()).st_size
            number = 0
            while True:
                line = handle.readline(MAX_BYTES + 1)
                if not line:
                    return
                number += 1
                if progress is not None:
                    progress(raw.tell(), size)
                where = f"{path}#{number}"
                if len(line) > MAX_BYTES:
                    while line and not line.endswith(b"\n"):   # skip the rest of the long line
                        line = handle.readline(MAX_BYTES + 1)
                    if only is None or number == only:
                        yield number, CertificateMalformed(f"{where}: longer than {MAX_BYTES} bytes")
                    continue
                if not line.strip() or (only is not None and number != only):
                    continue
                try:
                    yield number, parse_json(line, where, CertificateMalformed)
                except CertificateMalformed as exc:
                    yield number, exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise CertificateMalformed(f"{path}: cannot read bundle ({exc})") from None


def read_named(path: str | Path) -> dict:
    """The certificate `<bundle>#<line>` (or a certificate file): what an index such as a census's
    `regions.jsonl` names, relative to its folder."""
    text = str(path)
    if "#" not in text:
        from .certificates import load

        return load(path)
    bundle, line = text.rsplit("#", 1)
    for number, document in read_bundle(bundle, only=int(line)):
        if number == int(line):
            if isinstance(document, CertificateMalformed):
                raise document
            return document
    raise CertificateMalformed(f"{text}: no such line")


class BundleWriter:
    """Appends certificates to `<stem>.jsonl` and names each `<stem>.jsonl.gz#<line>`, the name it has once
    `close()` compresses the file. Opening a folder whose bundle was closed decompresses it again (line numbers
    unchanged), so a resumed run or a second census over the same sets keeps appending; a line cut by an
    interruption is dropped (its set is certified again, and its new line is the one named)."""

    def __init__(self, folder: Path, stem: str = "sets", fresh: bool = False):
        """`fresh`: start an empty bundle (a bundle left there by an earlier run is removed)."""
        self.plain = folder / f"{stem}.jsonl"
        self.packed = folder / f"{stem}.jsonl.gz"
        self.name = self.packed.name
        folder.mkdir(parents=True, exist_ok=True)
        if fresh:
            self.plain.unlink(missing_ok=True)
            self.packed.unlink(missing_ok=True)
        if self.packed.exists():
            if not self.plain.exists():
                with atomic_path(self.plain) as tmp, gzip.open(self.packed, "rb") as source, tmp.open("wb") as target:
                    shutil.copyfileobj(source, target)
            self.packed.unlink()        # a plain file beside a packed one holds the same lines (see `close`)
        self.starts: list[int] = []     # byte offset of each line
        self.size = 0
        if self.plain.exists():
            data = self.plain.read_bytes()
            self.size = data.rfind(b"\n") + 1
            if self.size < len(data):   # an interrupted write: keep whole lines only
                with self.plain.open("r+b") as handle:
                    handle.truncate(self.size)
            at = 0
            while at < self.size:
                self.starts.append(at)
                at = data.index(b"\n", at) + 1

    def append(self, document: dict) -> str:
        """Write one certificate; its name relative to the folder."""
        text = (json.dumps(document, separators=(",", ":")) + "\n").encode()
        with self.plain.open("ab") as handle:
            handle.write(text)
        self.starts.append(self.size)
        self.size += len(text)
        return f"{self.name}#{len(self.starts)}"

    def read(self, name: str) -> dict:
        """The certificate named `name` (written by this writer, possibly in an earlier run)."""
        with self.plain.open("rb") as handle:
            handle.seek(self.starts[int(name.rsplit("#", 1)[1]) - 1])
            return json.loads(handle.readline())

    def close(self) -> None:
        """Compress the bundle into `<stem>.jsonl.gz` (written whole, then the plain file removed)."""
        if not self.plain.exists():
            return
        with atomic_path(self.packed) as tmp, self.plain.open("rb") as source, gzip.open(tmp, "wb") as target:
            shutil.copyfileobj(source, target)
        os.unlink(self.plain)
