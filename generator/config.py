"""Project configuration: one table of options, read from ``mkdocs.yml``.

The CLI and the MkDocs plugin read the same options with the same defaults through
:func:`from_options`; the plugin's MkDocs schema is derived from :data:`OPTIONS`. Only
:mod:`generator.plugin` knows MkDocs itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

DEFAULT_CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class Option:
    default: Any
    type: type
    doc: str


OPTIONS: dict[str, Option] = {
    "content": Option("content", str, "Folder of the curated YAML, relative to mkdocs.yml."),
    "templates": Option(
        None,
        str,
        "Folder of templates that override the built-in ones file by file, relative to mkdocs.yml. "
        "Unset: `templates/` beside mkdocs.yml if it exists, else only the built-in templates. "
        "Set to a folder that does not exist: an error.",
    ),
    "allow_html": Option(
        False, bool, "Render raw HTML in text fields through the nh3 sanitizer (default: shown as text)."
    ),
    "description": Option(
        "", str, "What the briefing covers (Markdown) for the home page; default: site_description."
    ),
    "nav": Option(True, bool, "With no `nav:` in mkdocs.yml, give the sidebar one entry per section."),
    "as_of": Option(
        None, str, "The briefing's as-of date (quoted EDTF) on every page and PDF; default: latest source."
    ),
    "pdf": Option(
        False, bool, "Also build the PDF briefs and briefing book into the site (not when serving)."
    ),
    "allow_outside_project": Option(
        False,
        bool,
        "Let `content` and `templates` name folders outside the folder of mkdocs.yml (default: refused).",
    ),
    "downloads": Option(
        True, bool, "Offer the JSON export, its schema and the content schemas for download (downloads/)."
    ),
    "guide": Option(
        True, bool, "Add the curator's guide (how to write, check, publish and print) as a section."
    ),
    "whats_new_since": Option(
        None,
        str,
        "An earlier edition (a git revision such as a tag, or a content folder relative to mkdocs.yml): "
        "adds a page listing what changed since it.",
    ),
}
"""Every option of the ``factsheet`` plugin entry in mkdocs.yml: default, type, meaning."""


@dataclass(frozen=True)
class Config:
    """Options of a factsheet project (the ``factsheet`` plugin entry of ``mkdocs.yml``)."""

    content_dir: Path
    """Folder of the curated YAML (``content/``)."""
    templates_dir: Path | None = None
    """Folder whose templates override the built-in ones, file by file."""
    allow_html: bool = False
    """Render raw HTML written in text fields through the sanitizer instead of showing it as text."""
    site_name: str = "Briefing"
    """Title used on the home page."""
    description: str = ""
    """What the briefing covers, in Markdown, shown at the top of the home page."""
    docs_dir: Path | None = None
    """MkDocs' ``docs_dir`` (hand-written pages), where nothing may be generated."""
    as_of: str | None = None
    """The briefing's "as of" date (EDTF), on every page and PDF; default: see :mod:`generator.asof`."""
    nav: bool = True
    """Give the sidebar one entry per section when mkdocs.yml has no nav of its own."""
    pdf: bool = False
    """Build the PDF briefs and the briefing book into the site (``mkdocs build`` only); entry
    pages then link their brief and the home page the book."""
    downloads: bool = True
    """Offer the JSON export and the schemas in the site (``downloads/``), linked from the home page."""
    guide: bool = True
    """Add the curator's guide (:mod:`generator.guide`) to the pages, as its own section."""
    whats_new_since: str | None = None
    """An earlier edition (git revision, or content folder as an absolute path): the site gets a
    "What's new" page listing every change since it (:mod:`generator.analysis_diff`)."""


def is_within(inner: Path, outer: Path) -> bool:
    """Whether ``inner`` is ``outer`` or a folder below it (after resolving links)."""
    inner, outer = inner.resolve(), outer.resolve()
    return inner == outer or outer in inner.parents


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does for what we need: ``!ENV`` resolved, other tags ignored."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``, with MkDocs' (pyyaml_env_tag's) rules."""
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
        if len(children) > 1:
            default = loader.construct_object(children[-1])
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV expects a name or a list", node.start_mark)
    for name in names:
        if name in os.environ:
            value = os.environ[str(name)]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


_MkDocsLoader.add_constructor("!ENV", _env_tag)
_MkDocsLoader.add_multi_constructor("", _ignore_tag)


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsLoader)
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


def _option(options: dict[str, Any], name: str, where: str) -> Any:
    spec = OPTIONS[name]
    value = options.get(name)
    if value is None:
        return spec.default
    if not isinstance(value, spec.type):
        raise ConfigError(f"{where}: factsheet option '{name}': expected {spec.type.__name__}, got {value!r}")
    return value


def _edition(spec: str | None, base: Path) -> str | None:
    """``whats_new_since``: a folder beside mkdocs.yml becomes its absolute path; anything else
    is a git revision, read when the page is built."""
    if spec is None or not spec.strip():
        return None
    folder = base / spec
    return str(folder.resolve()) if folder.is_dir() else spec


def from_options(
    options: dict[str, Any],
    base: Path,
    site_name: str = "Briefing",
    description: str = "",
    docs_dir: Path | None = None,
    where: str = DEFAULT_CONFIG,
    content_given: bool = False,
) -> Config:
    """The one reading of the plugin options (``base`` is the folder of mkdocs.yml).

    ``content_given``: the content folder was named on the command line (``--content``), a
    choice of the person running the command, so it may be outside the project.
    """
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ConfigError(f"{where}: unknown factsheet option '{unknown[0]}' (options: {', '.join(OPTIONS)})")
    content = base / _option(options, "content", where)
    if not content.is_dir():
        raise ConfigError(f"{content}: no such content folder")
    templates_option = _option(options, "templates", where)
    templates: Path | None = base / (templates_option or "templates")
    if templates_option and not templates.is_dir():  # type: ignore[union-attr]
        raise ConfigError(f"{templates}: no such templates folder")
    if templates is not None and not templates.is_dir():
        templates = None
    outside_ok = _option(options, "allow_outside_project", where)
    for name, folder, given in (("content", content, content_given), ("templates", templates, False)):
        if folder is not None and not outside_ok and not given and not is_within(folder, base):
            raise ConfigError(
                f"{where}: factsheet option '{name}' names {folder.resolve()}, outside the project folder "
                f"({base.resolve()}); it is read only from inside it (set allow_outside_project: true to allow it)"
            )
    if templates is not None:
        from .paths import links_leaving

        leaving = links_leaving(templates)
        if leaving:
            raise ConfigError(
                f"{leaving[0]}: a symbolic link that leaves the templates folder (or is broken); "
                "templates are read only from inside it: copy the file in instead"
            )
    if docs_dir is not None and is_within(content, docs_dir):
        raise ConfigError(f"{where}: the content folder must not be inside docs_dir")
    return Config(
        content_dir=content,
        templates_dir=templates,
        allow_html=_option(options, "allow_html", where),
        site_name=site_name,
        description=_option(options, "description", where) or description or "",
        docs_dir=docs_dir,
        nav=_option(options, "nav", where),
        as_of=_option(options, "as_of", where),
        pdf=_option(options, "pdf", where),
        downloads=_option(options, "downloads", where),
        guide=_option(options, "guide", where),
        whats_new_since=_edition(_option(options, "whats_new_since", where), base),
    )


def load_config(config_file: Path | None = None, content: Path | None = None) -> Config:
    """Config from ``mkdocs.yml`` (if present), with ``content`` overriding the folder."""
    path = config_file or Path(DEFAULT_CONFIG)
    if path.is_file():
        mkdocs = read_mkdocs_yml(path)
        options = dict(plugin_options(mkdocs))
        if content is not None:  # relative to the working directory, like any command-line path
            same = path.parent.resolve() == Path.cwd().resolve()
            options["content"] = str(content if content.is_absolute() or same else content.resolve())
        return from_options(
            options,
            path.parent,
            str(mkdocs.get("site_name") or "Briefing"),
            str(mkdocs.get("site_description") or ""),
            docs_dir=path.parent / str(mkdocs.get("docs_dir") or "docs"),
            where=str(path),
            content_given=content is not None,
        )
    if config_file is not None:
        raise ConfigError(f"{path}: no such file")
    options = {"content": str(content)} if content is not None else {}
    return from_options(options, Path("."), where="(no mkdocs.yml)", content_given=content is not None)
