"""Write rendered pages to a folder: atomically per file, touching only what changed.

Every page is rendered in memory before the first write. A file is replaced through a
temporary sibling and ``os.replace``, so a reader never sees a half-written page; files
whose bytes are unchanged keep their modification time (watchers and rsync stay quiet);
pages that are no longer generated are removed, but only those listed in the manifest
of a previous run: nothing a person put in the folder is ever deleted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .render import Page

MANIFEST = ".factsheet-manifest"


@dataclass(frozen=True)
class WriteReport:
    written: list[str]
    unchanged: list[str]
    removed: list[str]


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pages(pages: Iterable[Page], out: Path) -> WriteReport:
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    previous = set(manifest.read_text(encoding="utf-8").split()) if manifest.is_file() else set()
    written, unchanged, current = [], [], []
    for page in pages:
        target = out / page.path
        data = page.text.encode("utf-8")
        current.append(page.path)
        if target.is_file() and target.read_bytes() == data:
            unchanged.append(page.path)
            continue
        _atomic_write(target, data)
        written.append(page.path)
    removed = []
    for stale in sorted(previous - set(current)):
        target = out / stale
        if target.is_file():
            target.unlink()
            removed.append(stale)
    _atomic_write(manifest, ("\n".join(sorted(current)) + "\n").encode("utf-8"))
    return WriteReport(written, unchanged, removed)
