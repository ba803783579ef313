"""Write generated files to a folder that factsheet owns: atomically, crash-safe, only its own.

Every page is rendered in memory before the first write. Then, in the output folder:

1. **Ownership.** The folder is new, empty, or holds ``.factsheet-manifest`` (it was made
   by factsheet); otherwise the run is refused unless ``force``. A file at a page's path
   that factsheet did not write (not in the manifest, or changed since: each entry records
   the SHA-256 of what was written) is refused too, unless ``force``.
2. **No link is followed.** Every folder below the output is opened through directory
   descriptors with ``O_NOFOLLOW``: a symbolic link where a folder should be is an error,
   a link where a file should be is replaced, never written through.
3. **Crash safety.** Leftover temporary files of a killed run (``.factsheet-*.tmp``, in the
   folders written to) are removed first. The manifest listing the old *and* the new files
   (with their hashes) is written before any page, each page goes through a temporary file
   in its own folder and ``os.replace``, stale files are removed, and only then is the
   manifest cut down to the new files. A run killed at any moment leaves complete files
   only, each listed in the manifest, so the next good run removes what it no longer makes.
4. **Deleting.** A stale entry is removed only when it is a relative, normalised path
   inside the folder, reached without a link, a regular file, and its bytes still have the
   hash recorded when factsheet wrote it. Anything else in a manifest is left alone.

Files whose bytes are unchanged are not touched (watchers and rsync stay quiet). Two runs
into one folder at once are refused (an advisory lock on the folder). POSIX only, like the
rest of the tool's file handling (``O_NOFOLLOW``, ``dir_fd``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .errors import ConfigError, display_path

if TYPE_CHECKING:  # importing render (Jinja2, Markdown) is not needed to write files
    from .render import Page

MANIFEST = ".factsheet-manifest"
MANIFEST_HEADER = "# factsheet manifest 2: the SHA-256 and path of each file factsheet wrote here"
MANIFEST_LIMIT = 20_000_000  # bytes read of a manifest at most
TEMP_PREFIX = ".factsheet-"
TEMP_NAME = re.compile(r"^\.factsheet-.*\.[0-9a-f]{8}\.tmp$", re.DOTALL)
"""Temporary files of :func:`create_temp`: removed by the next run into the same folder."""

_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | _NOFOLLOW
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


@dataclass(frozen=True)
class WriteReport:
    written: list[str]
    unchanged: list[str]
    removed: list[str]
    kept: list[str] = field(default_factory=list)
    """Stale files not removed: changed since factsheet wrote them, or not verifiable."""
    cleaned: int = 0
    """Temporary files of an earlier interrupted run that were removed."""


def temp_name(name: str) -> str:
    stem = name.encode("utf-8")[:180].decode("utf-8", "ignore")  # file names have 255 bytes at most
    return f"{TEMP_PREFIX}{stem}.{secrets.token_hex(4)}.tmp"


def create_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new temporary sibling for ``name`` in ``folder``, created like ``open(path, "w")`` would.

    ``tempfile.mkstemp`` makes files readable by their owner only (0600), and ``os.replace``
    keeps that mode, which stops another user's web server from reading the pages. Here the
    mode is 0666 less the umask (0644 under the usual umask 022), as for any new file. The
    name is ``.factsheet-<name>.<8 hex digits>.tmp``, which the next run recognises.
    """
    for _ in range(100):
        tmp = folder / temp_name(name)
        try:
            return os.open(tmp, _NEW_FILE, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name for {name} in {folder}")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def valid_entry(path: str) -> bool:
    """A manifest entry factsheet could have written: relative, normalised, inside, plain."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path or "\n" in path:
        return False
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False
    return PurePosixPath(path).as_posix() == path and path != MANIFEST and not TEMP_NAME.match(parts[-1])


@dataclass
class Manifest:
    """What factsheet wrote into a folder: path -> the hashes its bytes may have."""

    entries: dict[str, set[str]] = field(default_factory=dict)
    legacy: set[str] = field(default_factory=set)
    """Paths from an older manifest without hashes: never deleted, since they cannot be verified."""
    ignored: int = 0
    """Lines that are not entries factsheet could have written (``../x``, ``/etc/passwd``)."""

    def add(self, path: str, sha: str) -> None:
        self.entries.setdefault(path, set()).add(sha)

    def owns(self, path: str, sha: str) -> bool:
        return sha in self.entries.get(path, ()) or path in self.legacy

    def text(self) -> str:
        lines = [f"{sha}  {path}" for path in sorted(self.entries) for sha in sorted(self.entries[path])]
        return "\n".join([MANIFEST_HEADER, *lines]) + "\n"

    @classmethod
    def parse(cls, text: str) -> Manifest:
        manifest = cls()
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            sha, sep, path = line.partition("  ")
            if sep and re.fullmatch(r"[0-9a-f]{64}", sha):
                if valid_entry(path):
                    manifest.add(path, sha)
                    continue
            elif valid_entry(line.strip()) and line == line.strip():
                manifest.legacy.add(line)  # a manifest of factsheet before 0.2: paths only
                continue
            manifest.ignored += 1
        return manifest


class OwnedFolder:
    """An output folder opened once; everything below it is reached through directory
    descriptors opened with ``O_NOFOLLOW``, so no symbolic link is ever followed out."""

    def __init__(self, root: Path, *, create: bool = True) -> None:
        self.root = root
        self.created = False
        if create and not root.exists() and not root.is_symlink():
            root.mkdir(parents=True)
            self.created = True
        self.fd = os.open(root, _DIR)
        self._dirs: dict[tuple[str, ...], int] = {(): self.fd}

    def __enter__(self) -> OwnedFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for fd in self._dirs.values():
            os.close(fd)
        self._dirs.clear()

    def lock(self) -> None:
        """Refuse a second run into the same folder while this one writes."""
        if sys.platform == "win32":  # pragma: no cover - POSIX only
            return
        import fcntl

        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"{display_path(self.root)}: another factsheet run is writing into this folder; "
                "wait for it to finish"
            ) from None

    def folder(self, parts: tuple[str, ...], *, create: bool, strict: bool = True) -> int | None:
        """The descriptor of the folder ``parts`` below the root (made if ``create``).

        None if a folder is missing and not ``create``. Where a folder should be, a link or
        a file is an error (``strict``), or else gives None too: nothing there is ours.
        """
        if parts in self._dirs:
            return self._dirs[parts]
        parent = self.folder(parts[:-1], create=create, strict=strict)
        if parent is None:
            return None
        name = parts[-1]
        try:
            info = os.stat(name, dir_fd=parent, follow_symlinks=False)
        except FileNotFoundError:
            if not create:
                return None
            os.mkdir(name, 0o777, dir_fd=parent)
            info = os.stat(name, dir_fd=parent, follow_symlinks=False)
        if not stat.S_ISDIR(info.st_mode):
            if not strict:
                return None
            what = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a folder"
            raise ConfigError(
                f"{display_path(self.root / '/'.join(parts))} is {what}: factsheet writes only into "
                f"real folders inside {display_path(self.root)}; move it away"
            )
        fd = os.open(name, _DIR | _NOFOLLOW, dir_fd=parent)
        self._dirs[parts] = fd
        return fd

    def where(self, path: str, *, create: bool = False, strict: bool = False) -> tuple[int, str] | None:
        """(descriptor of the folder holding ``path``, file name), or None if a folder is missing
        (or, unless ``strict`` or ``create``, is not a real folder)."""
        parts = tuple(path.split("/"))
        fd = self.folder(parts[:-1], create=create, strict=strict or create)
        return None if fd is None else (fd, parts[-1])

    def read(self, path: str, limit: int | None = None) -> bytes | None:
        """The bytes of the regular file ``path``; None if missing or not a regular file."""
        place = self.where(path)
        if place is None:
            return None
        fd, name = place
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        handle = os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=fd)
        with os.fdopen(handle, "rb") as file:
            return file.read() if limit is None else file.read(limit)

    def exists(self, path: str) -> bool:
        place = self.where(path)
        if place is None:
            return False
        try:
            os.stat(place[1], dir_fd=place[0], follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True

    def write(self, path: str, data: bytes, *, sync: bool = False) -> None:
        """Replace ``path`` through a temporary file in its own folder and ``os.replace``."""
        place = self.where(path, create=True)
        assert place is not None
        fd, name = place
        for _ in range(100):
            tmp = temp_name(name)
            try:
                handle = os.open(tmp, _NEW_FILE, 0o666, dir_fd=fd)
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - 100 collisions of 32 random bits
            raise FileExistsError(f"no free temporary name for {path}")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                if sync:
                    file.flush()
                    os.fsync(file.fileno())
            os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp, dir_fd=fd)
            raise

    def remove(self, path: str) -> None:
        place = self.where(path)
        if place is not None:
            os.unlink(place[1], dir_fd=place[0])

    def clean_temps(self, folders: Iterable[tuple[str, ...]]) -> int:
        """Remove leftover temporary files of an interrupted run from these folders."""
        removed = 0
        for parts in sorted(set(folders)):
            fd = self.folder(parts, create=False, strict=False)
            if fd is None:
                continue
            for name in os.listdir(fd):
                if not TEMP_NAME.match(name):
                    continue
                try:
                    info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode):
                        os.unlink(name, dir_fd=fd)
                        removed += 1
                except FileNotFoundError:
                    continue
        return removed


def remove_leftover_temps(folder: Path, name: str | None = None) -> int:
    """Remove the temporary files of :func:`create_temp` that a killed run left: every one
    under ``folder`` (never following a link), or only those for the file ``name`` directly
    in ``folder`` (the zip of ``bundle``)."""
    removed = 0
    for dirpath, _folders, filenames in os.walk(folder, followlinks=False):
        for entry in filenames:
            path = Path(dirpath, entry)
            ours = TEMP_NAME.match(entry) and (name is None or entry.startswith(f"{TEMP_PREFIX}{name}."))
            if ours and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed += 1
        if name is not None:
            break
    return removed


def _parents(paths: Iterable[str]) -> set[tuple[str, ...]]:
    return {tuple(p.split("/"))[:-1] for p in paths}


def write_files(files: Mapping[str, bytes], out: Path, *, force: bool = False) -> WriteReport:
    """Write ``files`` (relative path -> bytes) into ``out``, which factsheet owns (see above)."""
    for path in files:
        if not valid_entry(path):
            raise ValueError(f"not a path factsheet may write: {path!r}")
    with OwnedFolder(out) as folder:
        folder.lock()
        raw = folder.read(MANIFEST, MANIFEST_LIMIT)
        previous = Manifest.parse(raw.decode("utf-8", "replace")) if raw is not None else Manifest()
        if raw is None and not force and not folder.created:
            names = [n for n in sorted(os.listdir(folder.fd)) if not TEMP_NAME.match(n)]
            if names:
                shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                raise ConfigError(
                    f"{display_path(out)} already holds files factsheet did not write ({shown}) and no "
                    f"{MANIFEST}; choose a new or empty folder, or pass --force to write into it anyway"
                )
        known = set(files) | set(previous.entries) | previous.legacy
        for parents in sorted(_parents(files)):
            folder.folder(parents, create=False)  # a link where a folder of pages goes: refused now
        cleaned = folder.clean_temps({(), *_parents(p for p in known if valid_entry(p))})

        written: list[str] = []
        unchanged: list[str] = []
        foreign: list[str] = []
        hashes = {path: digest(data) for path, data in files.items()}
        for path, data in files.items():
            current = folder.read(path)
            if current == data:
                unchanged.append(path)
                continue
            if (current is not None or folder.exists(path)) and not (
                current is not None and previous.owns(path, digest(current))
            ):
                foreign.append(path)
            written.append(path)
        if foreign and not force:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            one = len(foreign) == 1
            raise ConfigError(
                f"{display_path(out)}: {shown} would be replaced, but factsheet did not write "
                f"{'it' if one else 'them'} (or {'it was' if one else 'they were'} changed since); "
                f"move {'it' if one else 'them'} away, or pass --force to replace {'it' if one else 'them'}"
            )
        stale = sorted(set(previous.entries) - set(files))

        if written or stale:
            # Before any file changes: the old and the new files, so that whatever a kill
            # leaves behind is listed with the hash of its bytes.
            during = Manifest({p: set(h) for p, h in previous.entries.items()})
            for path in previous.legacy & set(written):
                current = folder.read(path)
                if current is not None:
                    during.add(path, digest(current))
            for path, sha in hashes.items():
                during.add(path, sha)
            folder.write(MANIFEST, during.text().encode("utf-8"), sync=True)

        for path in written:
            folder.write(path, files[path])

        removed: list[str] = []
        kept: list[str] = []
        for path in stale:
            current = folder.read(path)
            if current is None:
                if folder.exists(path):
                    kept.append(path)  # a link or a folder now: not ours to remove
                continue
            if previous.owns(path, digest(current)) and path not in previous.legacy:
                folder.remove(path)
                removed.append(path)
            else:
                kept.append(path)
        kept.extend(path for path in sorted(previous.legacy - set(files)) if folder.exists(path))

        final = Manifest()
        for path, sha in hashes.items():
            final.add(path, sha)
        final_text = final.text().encode("utf-8")
        if raw != final_text:
            folder.write(MANIFEST, final_text, sync=True)
        return WriteReport(written, unchanged, removed, kept, cleaned)


def write_pages(pages: Iterable[Page], out: Path, *, force: bool = False) -> WriteReport:
    """Write rendered pages into ``out`` (see :func:`write_files`)."""
    return write_files({page.path: page.text.encode("utf-8") for page in pages}, out, force=force)


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` was made by :func:`write_files` (it holds a manifest, a regular file)."""
    return (folder / MANIFEST).is_file() and not (folder / MANIFEST).is_symlink()
