"""Where factsheet may read and write: one set of rules for every command and the plugin.

Outputs are owned (docs/development.md, "Outputs are owned"): an output folder (or file)

- is never the content folder, the templates folder or MkDocs' ``docs_dir``, nor inside
  one of them, nor a folder that contains one of them;
- is never the project folder (the folder of ``mkdocs.yml``) nor a folder that contains
  it (``--out .``, ``--out ..``, ``--out ~``); an output *inside* the project is fine
  (``build/pages``, ``site``);
- is new, empty, or was made by the same command (``ours`` says how to recognise that),
  unless the person running the command passes ``--force``.

:func:`guard_output` applies these rules; each command calls it before writing anything.
Reading stays inside too: :func:`links_leaving` finds symbolic links in a folder (the
templates) that point out of it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import DEFAULT_CONFIG, Config, is_within, plugin_options, read_mkdocs_yml
from .errors import ConfigError, display_path

TEMP_PREFIX = ".factsheet-"
"""Every temporary file or folder factsheet makes starts with this (and ends ``.tmp``)."""


@dataclass(frozen=True)
class Guarded:
    """A folder no output may overlap."""

    path: Path
    what: str
    inside_ok: bool = False
    """True for the project folder: an output may be inside it, but not be it or contain it."""


def _project_root(config_file: Path | None) -> Path:
    path = config_file or Path(DEFAULT_CONFIG)
    return path.parent if path.is_file() else Path(".")


def guarded_folders(config: Config | None = None, config_file: Path | None = None) -> list[Guarded]:
    """The folders of the project: from ``config`` when there is one, and from ``mkdocs.yml``
    read leniently (folders that do not exist yet are guarded too)."""
    root = _project_root(config_file)
    folders = [Guarded(root, "the project folder", inside_ok=True)]
    path = config_file or Path(DEFAULT_CONFIG)
    options: dict[str, object] = {}
    docs = "docs"
    if path.is_file():
        try:
            mkdocs = read_mkdocs_yml(path)
        except ConfigError:
            mkdocs = {}
        options = plugin_options(mkdocs)
        docs = str(mkdocs.get("docs_dir") or "docs")
        folders.append(Guarded(root / docs, "the MkDocs docs_dir"))
    content = options.get("content")
    folders.append(Guarded(root / (content if isinstance(content, str) else "content"), "the content folder"))
    templates = options.get("templates")
    folders.append(
        Guarded(root / (templates if isinstance(templates, str) else "templates"), "the templates folder")
    )
    if config is not None:
        folders.append(Guarded(config.content_dir, "the content folder"))
        if config.templates_dir is not None:
            folders.append(Guarded(config.templates_dir, "the templates folder"))
        if config.docs_dir is not None:
            folders.append(Guarded(config.docs_dir, "the MkDocs docs_dir"))
    return folders


def overlap(out: Path, folders: Iterable[Guarded]) -> str | None:
    """Why ``out`` may not be an output (``overlaps the content folder (content): it is
    inside it``), or None."""
    for folder in folders:
        where = f"overlaps {folder.what} ({display_path(folder.path)})"
        if out.resolve() == folder.path.resolve():
            return f"{where}: it is that folder"
        if is_within(folder.path, out):
            return f"{where}: it contains it"
        if not folder.inside_ok and is_within(out, folder.path):
            return f"{where}: it is inside it"
    return None


def refuse_overlap(out: Path, folders: Iterable[Guarded], option: str = "--out") -> None:
    reason = overlap(out, folders)
    if reason:
        raise ConfigError(f"{option} {display_path(out)} {reason}; choose another folder")


def foreign_entries(folder: Path, ours: Callable[[Path], bool]) -> list[str]:
    """Names in ``folder`` that are not ours (nothing when the folder is ours or empty).

    Temporary files of an earlier interrupted run (:data:`TEMP_PREFIX`) do not count.
    """
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    names = [n for n in names if not n.startswith(TEMP_PREFIX)]
    if not names or ours(folder):
        return []
    return names


def refuse_foreign(out: Path, ours: Callable[[Path], bool], force: bool, option: str = "--out") -> None:
    """Refuse a folder that holds files this command did not write, unless ``force``."""
    if force or not out.is_dir():
        return
    names = foreign_entries(out, ours)
    if names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise ConfigError(
            f"{option} {display_path(out)} already holds files factsheet did not write ({shown}); "
            "choose a new or empty folder, or pass --force to write into it anyway"
        )


def guard_output(
    out: Path,
    *,
    config: Config | None = None,
    config_file: Path | None = None,
    ours: Callable[[Path], bool] | None = None,
    force: bool = False,
    file: bool = False,
    option: str = "--out",
) -> None:
    """The one check every writing command makes before it writes: overlaps, then ownership.

    ``ours(folder)`` says whether an existing output folder was made by this command (it
    holds the command's manifest, say): a folder that exists, is not empty and is not ours
    is refused unless ``force``. A file output (``file``, the zip of ``bundle``) is a name
    the person chose: an existing file there is replaced (never written through: it is
    replaced by a rename), an existing folder is refused.
    """
    if out.is_symlink() and not out.exists():
        raise ConfigError(
            f"{option} {display_path(out)} is a broken symbolic link; remove it or choose another path"
        )
    refuse_overlap(out, guarded_folders(config, config_file), option)
    if file:
        if out.is_dir():
            raise ConfigError(f"{option} {display_path(out)} is a folder; give the file to write")
        return
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{option} {display_path(out)} is a file; give a folder")
    refuse_foreign(out, ours or (lambda _folder: False), force, option)


def only_names(*names: str) -> Callable[[Path], bool]:
    """``ours`` for a command whose output folder holds nothing but these names."""

    def ours(folder: Path) -> bool:
        return {n for n in os.listdir(folder) if not n.startswith(TEMP_PREFIX)} <= set(names)

    return ours


SITE_MARKERS = ("index.html", "404.html", "sitemap.xml", "search/search_index.json")
"""Files that show a folder holds a site MkDocs built (what ``mkdocs build`` may empty)."""


def is_site(folder: Path) -> bool:
    return any((folder / marker).is_file() for marker in SITE_MARKERS)


def check_site_dir(
    site_dir: Path, config: Config, root: Path, *, foreign: bool, option: str = "site_dir"
) -> None:
    """Refuse a site folder that MkDocs would empty at the cost of the project's files.

    MkDocs deletes everything in ``site_dir`` (but names starting with '.') before it
    builds: it must not be, contain or be inside the content, templates or docs folder, nor
    be or contain the project folder; with ``foreign``, a folder that already holds other
    files than a built site is refused too.
    """
    folders = [
        Guarded(root, "the project folder", inside_ok=True),
        Guarded(config.content_dir, "the content folder"),
    ]
    if config.templates_dir is not None:
        folders.append(Guarded(config.templates_dir, "the templates folder"))
    if config.docs_dir is not None:
        folders.append(Guarded(config.docs_dir, "the MkDocs docs_dir"))
    reason = overlap(site_dir, folders)
    if reason:
        raise ConfigError(
            f"{option} {display_path(site_dir)} {reason}; MkDocs empties {option} before it builds: "
            "choose another folder"
        )
    if foreign and site_dir.is_dir() and not is_site(site_dir):
        names = sorted(n for n in os.listdir(site_dir) if not n.startswith("."))
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            raise ConfigError(
                f"{option} {display_path(site_dir)} already holds files that are not a built site "
                f"({shown}); MkDocs empties {option} before it builds: empty it or choose another folder"
            )


def links_leaving(folder: Path) -> list[Path]:
    """Symbolic links under ``folder`` whose target is outside it (or missing), sorted."""
    root = folder.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath, name)
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                found.append(path)
                continue
            if not is_within(target, root):
                found.append(path)
    return sorted(found)
