"""A small MkDocs project around a content tree: the mkdocs.yml several test modules need.

``mkdocs_yml()`` gives the settings the default briefing relies on (Material without web
fonts, search, the factsheet plugin, validation at warn so that ``--strict`` fails on a
broken link); keyword arguments become plugin options, ``top`` adds settings before the
theme. ``make_project()`` writes a content tree, a ``docs/about.md`` and that file.
"""

from __future__ import annotations

from pathlib import Path

from trees import VALID_TREE, write_tree

_BASE = """\
site_name: {site_name}
docs_dir: {docs_dir}
{top}theme:
  name: material
  font: false
plugins:
  - search
  - factsheet:
      content: content
{options}markdown_extensions: [attr_list, md_in_html, tables, toc]
validation:
  omitted_files: warn
  unrecognized_links: warn
  anchors: warn
"""


def mkdocs_yml(
    *, site_name: str = "Test briefing", docs_dir: str = "docs", top: str = "", **options: str
) -> str:
    lines = "".join(f"      {name}: {value}\n" for name, value in options.items())
    return _BASE.format(site_name=site_name, docs_dir=docs_dir, top=top, options=lines)


MKDOCS_YML = mkdocs_yml()


def make_project(
    root: Path, tree: dict[str, str | bytes] | None = None, *, yml: str = MKDOCS_YML, about: str = "# About\n"
) -> Path:
    write_tree(root / "content", tree or VALID_TREE)
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "about.md").write_text(about, encoding="utf-8")
    (root / "mkdocs.yml").write_text(yml, encoding="utf-8")
    return root
