"""Starting a briefing: ``factsheet init DIR`` and ``factsheet new KIND ID``.

``init`` writes a project that checks, builds with ``mkdocs build --strict`` and serves as
it is: ``content/`` with a commented, fictional example of every kind, ``mkdocs.yml`` with
the settings that matter (no web fonts, search without ``lang:``, the factsheet plugin,
``site_url`` to fill in), an empty ``docs/``, a ``.gitignore``, ``requirements.txt``, a
README for curators and the GitHub Pages workflow of this repository, adapted to a project
that installs factsheet rather than develops it.

``new`` writes a commented skeleton entry: every required field as ``""`` (``check``
reports each one until it is filled) and every optional field commented out.

The files come from ``generator/scaffold_templates/``; the workflow from this repository's
``.github/workflows/pages.yml`` (packaged as ``generator.workflows``).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .config import DEFAULT_CONFIG
from .errors import ConfigError, display_path, shown
from .load import ID_RE, MAX_ID_LENGTH, WINDOWS_RESERVED
from .model import KINDS
from .paths import guard_output, refuse_foreign
from .write import OwnedFolder, temp_name

TEMPLATES = "scaffold_templates"
KIND_NAMES: dict[str, str] = {
    **{k.folder: k.folder for k in KINDS},
    **{k.singular.lower(): k.folder for k in KINDS},
}
"""``factsheet new`` takes a kind as its folder (``actors``) or in the singular (``actor``)."""

WORKFLOW = ".github/workflows/pages.yml"
_REPO_WORKFLOW = Path(__file__).resolve().parent.parent / WORKFLOW


def _template(*parts: str) -> Traversable:
    return resources.files("generator").joinpath(TEMPLATES, *parts)


# ---------------------------------------------------------------- new


def id_problem(entity_id: str) -> str | None:
    """Why ``entity_id`` cannot name an entry (None: it can)."""
    if len(entity_id) > MAX_ID_LENGTH or not ID_RE.match(entity_id):
        return (
            f"'{shown(entity_id)}' is not a valid id: use 1 to {MAX_ID_LENGTH} lowercase ASCII letters, "
            "digits and single hyphens (e.g. kim-jong-un)"
        )
    if entity_id in WINDOWS_RESERVED:
        return f"'{entity_id}' is not a valid id: Windows reserves the file name {entity_id}.yaml"
    return None


def existing_entry(content_dir: Path, entity_id: str) -> Path | None:
    """A file in any kind folder that already holds ``entity_id`` (ids are unique across kinds),
    whatever the case or YAML spelling of its name (``X.yaml``, ``x.yml``)."""
    wanted = {f"{entity_id}.yaml", f"{entity_id}.yml"}
    for kind in KINDS:
        folder = content_dir / kind.folder
        if not folder.is_dir():
            continue
        for name in sorted(os.listdir(folder)):
            if name.lower() in wanted:
                return folder / name
    return None


def skeleton(kind: str, entity_id: str) -> str:
    """The commented skeleton of an entry of ``kind`` (a folder name)."""
    return _template("new", f"{kind}.yaml").read_text(encoding="utf-8").replace("@ID@", entity_id)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def create_file(folder: OwnedFolder, path: str, data: bytes) -> None:
    """Create ``path`` below ``folder`` with ``data``, whole or not at all, never replacing a
    file: written to a temporary file, then linked to its name (which fails if it exists).
    On a file system without hard links the name itself is created exclusively."""
    place = folder.where(path, create=True)
    assert place is not None
    fd, name = place
    tmp = temp_name(name)
    handle = os.open(tmp, _CREATE, 0o666, dir_fd=fd)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        try:
            os.link(tmp, name, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError:
            with os.fdopen(os.open(name, _CREATE, 0o666, dir_fd=fd), "wb") as file:
                file.write(data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp, dir_fd=fd)


def new_entry(content_dir: Path, kind: str, entity_id: str) -> Path:
    """Write the skeleton of a new entry; refuse an invalid id or one that exists."""
    folder = KIND_NAMES.get(kind)
    if folder is None:
        raise ConfigError(
            f"unknown kind '{shown(kind)}': expected one of {', '.join(k.folder for k in KINDS)}"
        )
    problem = id_problem(entity_id)
    if problem:
        raise ConfigError(problem)
    if not content_dir.is_dir():
        raise ConfigError(f"{display_path(content_dir)}: no such content folder")
    existing = existing_entry(content_dir, entity_id)
    if existing is not None:
        raise ConfigError(
            f"{display_path(existing)} already exists: the id '{entity_id}' is taken "
            "(ids are unique across all kinds); choose another id"
        )
    path = content_dir / folder / f"{entity_id}.yaml"
    with OwnedFolder(content_dir, create=False) as owned:
        try:
            create_file(owned, f"{folder}/{entity_id}.yaml", skeleton(folder, entity_id).encode("utf-8"))
        except FileExistsError:
            raise ConfigError(f"{display_path(path)} already exists; choose another id") from None
    return path


# ---------------------------------------------------------------- init


def requirement() -> str:
    """The line of ``requirements.txt`` that installs this factsheet."""
    try:
        dist = importlib.metadata.distribution("factsheet")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "factsheet"
    direct = dist.read_text("direct_url.json")
    if direct:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            data = json.loads(direct)
            vcs = data["vcs_info"]
            return f"factsheet @ {vcs['vcs']}+{data['url']}@{vcs['commit_id']}"
    return f"factsheet=={dist.version}"


REQUIREMENTS = """\
# What the Pages workflow (and you) install to build this briefing. Pin the factsheet you
# use: a release from your package index (factsheet==1.2.0) or a commit of its repository
# (factsheet @ git+https://github.com/<owner>/<repository>@<commit>). Write factsheet[ftm]
# instead of factsheet for `factsheet export --format ftm`.
{requirement}
"""

WORKFLOW_HEADER = """\
# Checks and builds the briefing on every push and pull request; on `main` it also
# publishes the site to GitHub Pages (Settings -> Pages -> Source: GitHub Actions). Set
# site_url in mkdocs.yml to the address Pages gives the site first.
#
# Written by `factsheet init` from factsheet's own workflow. Actions are pinned by full
# commit hash, with the release in a comment. To update one, take the commit of the new
# release tag from the action's own repository.
"""

INSTALL_STEP = """\
      - name: Install factsheet (requirements.txt) and check the content
        run: |
          apt-get update
          apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk
          python -m venv .venv
          .venv/bin/pip install -r requirements.txt
          .venv/bin/factsheet check

"""
_DEVELOPMENT_ONLY = (".ci/", "scripts/", "tests/")
"""What a briefing project does not have: steps and comments naming them are replaced."""


def repository_workflow() -> str | None:
    """This repository's Pages workflow: from the package data, else from the source tree."""
    try:
        return resources.files("generator.workflows").joinpath("pages.yml").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    if _REPO_WORKFLOW.is_file():
        return _REPO_WORKFLOW.read_text(encoding="utf-8")
    return None


def briefing_workflow(text: str) -> str:
    """The repository's workflow for a briefing project: its header replaced, the step that
    runs the repository's own tests replaced by installing factsheet and checking the
    content, comments about the repository's development files left out."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    body = "".join(lines[start:]).lstrip("\n")
    steps = re.split(r"(?m)^(?=      - name: )", body)
    installed = False
    for i, step in enumerate(steps):
        if step.startswith("      - name: ") and any(p in step for p in _DEVELOPMENT_ONLY):
            steps[i] = "" if installed else INSTALL_STEP
            installed = True
    body = "".join(steps)
    # comment blocks that speak of the repository's development files
    blocks = re.split(r"((?:^[ \t]*#[^\n]*\n)+)", body, flags=re.M)
    body = "".join(
        b for b in blocks if not (b.lstrip().startswith("#") and any(p in b for p in _DEVELOPMENT_ONLY))
    )
    body = body.replace("docs/publishing.md", "README.md")
    return WORKFLOW_HEADER + body


def project_files(title: str) -> dict[str, bytes]:
    """Every file of a new briefing project (path -> bytes)."""
    files: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            elif not child.name.startswith("."):
                files[rel] = child.read_bytes()

    walk(_template("project"), "")
    files[".gitignore"] = files.pop("gitignore")
    files["README.md"] = files["README.md"].replace(b"@TITLE@", title.encode("utf-8"))
    files["docs/.gitkeep"] = b""  # MkDocs stops without its docs_dir; git keeps no empty folder
    files["requirements.txt"] = REQUIREMENTS.format(requirement=requirement()).encode("utf-8")
    workflow = repository_workflow()
    if workflow is not None:
        files[WORKFLOW] = briefing_workflow(workflow).encode("utf-8")
    return files


def _only_git(folder: Path) -> bool:
    """A folder holding nothing but ``.git`` (``git init`` first, then ``factsheet init .``)
    counts as empty."""
    return set(os.listdir(folder)) <= {".git"}


def init_project(target: Path, *, force: bool = False) -> list[str]:
    """Write a new briefing project into ``target`` (new, empty, or anything with ``force``:
    files of the same name are then replaced, others left alone). Returns the paths written."""
    if Path(DEFAULT_CONFIG).is_file():  # inside a project: never into its content, docs or itself
        guard_output(target, ours=_only_git, force=force, option="DIR")
    else:
        if target.is_symlink() and not target.exists():
            raise ConfigError(f"DIR {display_path(target)} is a broken symbolic link; choose another path")
        if target.exists() and not target.is_dir():
            raise ConfigError(f"DIR {display_path(target)} is a file; give a folder")
        refuse_foreign(target, _only_git, force, option="DIR")
    title = target.resolve().name.replace("-", " ").replace("_", " ").strip() or "Briefing"
    files = project_files(title[:1].upper() + title[1:])
    with OwnedFolder(target) as folder:
        folder.lock()
        for path in sorted(files):
            folder.write(path, files[path])
    return sorted(files)
