"""``factsheet bundle``: the site as one zip that works opened from disk, with no server.

A copy of ``site/`` opened with ``file://`` shows folder listings (links end in ``/``) and
no search (browsers refuse web workers and ``fetch`` on files). The bundle is built by
MkDocs from the project's own ``mkdocs.yml``, with these settings changed through MkDocs'
Python API, so the file itself is never touched:

- ``use_directory_urls: false``: links name ``.html`` files;
- ``theme.font: false``: no web fonts (already so in the default ``mkdocs.yml``);
- Material's ``offline`` plugin: the search index is also written as a script;
- ``extra.polyfills``: our own stand-in for web workers on ``file://``
  (``generator/assets/iframe-worker-shim.js``). Its name makes the offline plugin skip
  the copy it would otherwise load from a CDN, so no request leaves the page.

The site is built into a temporary folder and zipped into a temporary sibling of the
target, which then replaces the target in one step: a failed build leaves the previous zip
as it was. With :mod:`generator.plugin`, this is the only module that knows MkDocs.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .write import create_temp

SHIM = "iframe-worker-shim.js"
SHIM_URL = f"assets/factsheet/{SHIM}"
"""Where the worker stand-in goes in the site; the offline plugin looks for "iframe-worker"."""
OFFLINE_PLUGINS = ("offline", "material/offline")
LEFT_OUT = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz"})
"""Pages for a web server (its error page, its site map for crawlers), useless from disk."""


@dataclass(frozen=True)
class BundleReport:
    path: Path
    files: int
    size: int


def offline_overrides(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings that differ from ``mkdocs.yml`` (read raw) in an offline build."""
    plugins = settings.get("plugins")
    if plugins is None:
        plugins = ["search"]  # MkDocs' default, which the offline plugin needs
    if isinstance(plugins, dict):
        plugins = dict(plugins)
        if not any(name in plugins for name in OFFLINE_PLUGINS):
            plugins["offline"] = {}
    elif isinstance(plugins, list):
        names = {name for p in plugins for name in (p if isinstance(p, dict) else [p])}
        if not names & set(OFFLINE_PLUGINS):
            plugins = [*plugins, "offline"]
    else:
        raise ConfigError(f"mkdocs.yml: plugins must be a list or a mapping, not {type(plugins).__name__}")
    extra = dict(settings.get("extra") or {})
    polyfills = list(extra.get("polyfills") or [])
    if SHIM_URL not in polyfills:
        polyfills.append(SHIM_URL)
    extra["polyfills"] = polyfills
    overrides: dict[str, Any] = {"use_directory_urls": False, "plugins": plugins, "extra": extra}
    theme = settings.get("theme")
    if theme:  # Material's web fonts would be requests to another host
        overrides["theme"] = (
            {"name": theme, "font": False} if isinstance(theme, str) else {**theme, "font": False}
        )
    return overrides


def build_offline_site(config_file: Path, site_dir: Path) -> None:
    """``mkdocs build --strict`` of ``config_file`` with the offline settings, into ``site_dir``."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()  # MkDocs' warnings, as `mkdocs build` prints them
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger.addHandler(handler)
    try:
        with config_file.open("rb") as handle:
            settings = yaml_load(handle)
        config = load_config(
            str(config_file), site_dir=str(site_dir), strict=True, **offline_overrides(settings)
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise ConfigError(f"{config_file}: the offline build failed: {exc}") from None
    finally:
        logger.removeHandler(handler)
    shim = resources.files("generator.assets").joinpath(SHIM).read_bytes()
    target = site_dir / SHIM_URL
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(shim)


def _site_files(site_dir: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(site_dir.rglob("*")):
        name = path.relative_to(site_dir).as_posix()
        if path.is_file() and not path.is_symlink() and name not in LEFT_OUT:
            yield path, name


def zip_site(site_dir: Path, out: Path) -> BundleReport:
    """Zip ``site_dir`` under one folder named like ``out``, replacing ``out`` atomically."""
    top = out.stem
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = create_temp(out.parent, out.name)
    files = 0
    try:
        with (
            os.fdopen(fd, "w+b") as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for path, name in _site_files(site_dir):
                archive.write(path, f"{top}/{name}")
                files += 1
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BundleReport(out, files, out.stat().st_size)


def bundle(config_file: Path, out: Path) -> BundleReport:
    """Build the offline copy of the site and write it to the zip file ``out``."""
    if out.is_dir():
        raise ConfigError(f"--out {out} is a folder; give the zip file to write")
    with tempfile.TemporaryDirectory(prefix="factsheet-bundle-") as work:
        site_dir = Path(work) / "site"
        build_offline_site(config_file, site_dir)
        if not (site_dir / "index.html").is_file():
            raise ConfigError(f"{config_file}: the offline build made no index.html")
        return zip_site(site_dir, out)
