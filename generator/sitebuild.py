"""``factsheet site``: ``mkdocs build`` into a temporary folder, then swapped in whole.

``mkdocs build`` itself is not crash-safe: before it writes anything it empties
``site_dir``, so a build that fails or is killed half-way leaves no site or half a site
(our plugin only ensures that a content error stops it before the emptying). This command
runs ``mkdocs build`` (a separate process: MkDocs stays in :mod:`generator.plugin`) with
``-d`` set to a new temporary folder beside the target, and only when that succeeds
exchanges the two folders (``renameat2(RENAME_EXCHANGE)`` on Linux: one atomic step;
elsewhere two renames) and removes the old site. Whatever happens, the target holds either
the whole old site or the whole new one; a temporary folder left by a killed run
(``.factsheet-<name>.<hex>.tmp``) is removed by the next run.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .config import read_mkdocs_yml
from .errors import ConfigError, display_path
from .write import TEMP_NAME, TEMP_PREFIX, temp_name


def default_site_dir(config_file: Path) -> Path:
    """``site_dir`` of ``mkdocs.yml`` (relative to its folder), as MkDocs reads it; else ``site``."""
    value = read_mkdocs_yml(config_file).get("site_dir") or "site"
    return config_file.parent / str(value)


def _leftovers(out: Path) -> list[Path]:
    prefix = f"{TEMP_PREFIX}{out.name}."
    if not out.parent.is_dir():
        return []
    return [
        p
        for p in sorted(out.parent.iterdir())
        if p.name.startswith(prefix) and TEMP_NAME.match(p.name) and p.is_dir() and not p.is_symlink()
    ]


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, out: Path) -> None:
    """Make ``new`` the folder ``out``; the old ``out`` is removed after the swap."""
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new)  # the old site now
        return
    old = out.parent / temp_name(out.name)
    os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old)


def build_site(config_file: Path, out: Path, *, strict: bool = True) -> int:
    """Build the site of ``config_file`` into ``out`` through a temporary folder; the file count."""
    hidden = sorted(n for n in os.listdir(out) if n.startswith(".")) if out.is_dir() else []
    if hidden:
        raise ConfigError(
            f"{display_path(out)} holds hidden files ({', '.join(hidden[:3])}) that a swapped-in site "
            "would not have; move them away, or use mkdocs build (which keeps them) for this folder"
        )
    for leftover in _leftovers(out):
        shutil.rmtree(leftover)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / temp_name(out.name)
    work.mkdir()
    try:
        command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(work.resolve())]
        result = subprocess.run([*command, "--strict"] if strict else command, check=False)
        if result.returncode != 0:
            raise ConfigError(
                f"mkdocs build failed (exit {result.returncode}, see above); {display_path(out)} is unchanged"
            )
        if not (work / "index.html").is_file():
            raise ConfigError(f"mkdocs build made no index.html; {display_path(out)} is unchanged")
        files = sum(1 for p in work.rglob("*") if p.is_file())
        swap_in(work, out)
    finally:
        if work.exists():
            with contextlib.suppress(OSError):
                shutil.rmtree(work)
    return files
