"""Project configuration: where content and templates live, read from ``mkdocs.yml``.

The CLI and the MkDocs plugin share this one typed value; only :mod:`generator.plugin`
knows MkDocs itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

DEFAULT_CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class Config:
    """Options of a factsheet project (the ``factsheet`` plugin entry of ``mkdocs.yml``)."""

    content_dir: Path
    """Folder of the curated YAML (``content/``)."""
    templates_dir: Path | None = None
    """Folder whose templates override the built-in ones, file by file."""
    allow_html: bool = False
    """Render raw HTML written in text fields instead of escaping it (off: escaped)."""
    site_name: str = "Briefing"
    """Title used on the home page."""
    description: str = ""
    """What the briefing covers, in Markdown, shown at the top of the home page."""
    docs_dir: Path | None = None
    """MkDocs' ``docs_dir`` (hand-written pages), where nothing may be generated."""


def is_within(inner: Path, outer: Path) -> bool:
    """Whether ``inner`` is ``outer`` or a folder below it (after resolving links)."""
    inner, outer = inner.resolve(), outer.resolve()
    return inner == outer or outer in inner.parents


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, which may use tags such as ``!!python/name`` and ``!ENV``."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


_LenientLoader.add_multi_constructor("", _ignore_tag)


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of MkDocs settings")
    return data


def plugin_options(mkdocs: dict[str, Any]) -> dict[str, Any]:
    """The options given to the ``factsheet`` plugin, or ``{}``."""
    for entry in mkdocs.get("plugins") or []:
        if isinstance(entry, dict) and "factsheet" in entry:
            options = entry["factsheet"] or {}
            return options if isinstance(options, dict) else {}
    return {}


def from_options(
    options: dict[str, Any], base: Path, site_name: str = "Briefing", description: str = ""
) -> Config:
    templates = options.get("templates", "templates")
    templates_dir = base / templates if templates else None
    return Config(
        content_dir=base / options.get("content", "content"),
        templates_dir=templates_dir if templates_dir and templates_dir.is_dir() else None,
        allow_html=bool(options.get("allow_html", False)),
        site_name=site_name,
        description=str(options.get("description") or description or ""),
    )


def load_config(config_file: Path | None = None, content: Path | None = None) -> Config:
    """Config from ``mkdocs.yml`` (if present), with ``content`` overriding the folder."""
    path = config_file or Path(DEFAULT_CONFIG)
    if path.is_file():
        mkdocs = read_mkdocs_yml(path)
        config = dataclasses.replace(
            from_options(
                plugin_options(mkdocs),
                path.parent,
                str(mkdocs.get("site_name") or "Briefing"),
                str(mkdocs.get("site_description") or ""),
            ),
            docs_dir=path.parent / str(mkdocs.get("docs_dir") or "docs"),
        )
    elif config_file is not None:
        raise ConfigError(f"{path}: no such file")
    else:
        config = from_options({}, Path("."))
    if content is not None:
        config = dataclasses.replace(config, content_dir=content)
    if not config.content_dir.is_dir():
        raise ConfigError(f"{config.content_dir}: no such content folder")
    return config
