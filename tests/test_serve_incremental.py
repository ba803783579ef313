"""Serving rebuilds only the pages whose Markdown changed, and the site stays exactly right.

The rebuilds run in this process the way ``mkdocs serve`` runs them (a fresh configuration per
build, the plugin instances kept, ``site_dir`` emptied and rebuilt, ``serve_url`` set). After
each edit (a rename, a deletion, a new entry, a changed date, broken content and its fix),
every file of the served site must equal the file of a clean build of the same content: each
page, the sitemap, the 404 page and the search index.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from trees import VALID_TREE, write_tree

from generator.incremental import PageCache

URL = "http://127.0.0.1:8000/"
MKDOCS_YML = """\
site_name: Test briefing
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
  - factsheet:
      content: content
markdown_extensions: [attr_list, md_in_html, tables, toc]
"""


def make_project(root: Path) -> Path:
    write_tree(root / "content", VALID_TREE)
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "about.md").write_text(
        "# About\n\nSee [Kim](actors/kim-jong-un.md).\n", encoding="utf-8"
    )
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return root


def serve_build(project: Path, site: Path, fresh: bool = False) -> tuple[int, int]:
    """One rebuild as ``mkdocs serve`` makes it; ``fresh``: with nothing kept from earlier builds.

    Returns (pages rendered, generated pages)."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = URL
    plugin = config.plugins["factsheet"]
    kept = plugin.cache
    if fresh:
        plugin.cache = PageCache()
    counts: list[tuple[int, int]] = []
    finish = plugin.cache.finish

    def counting_finish():  # type: ignore[no-untyped-def]
        stats = finish()
        counts.append((stats.rebuilt, stats.pages))
        return stats

    plugin.cache.finish = counting_finish
    try:
        mkdocs_build(config, serve_url=URL)
    finally:
        del plugin.cache.finish
        if fresh:
            plugin.cache = kept
    return counts[0]


def site_files(site: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":  # the gzip header holds a time stamp
                data = gzip.decompress(data)
            out[path.relative_to(site).as_posix()] = data
    return out


def assert_same_site(served: Path, clean: Path) -> None:
    a, b = site_files(served), site_files(clean)
    assert sorted(a) == sorted(b)
    different = [path for path in a if a[path] != b[path]]
    assert different == [], f"differ from a clean build: {different[:10]}"


def test_rebuilds_after_each_edit_equal_a_clean_build_and_render_only_what_changed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    content = project / "content"
    served = tmp_path / "served"
    meeting = content / "meetings" / "2019-04-25-vladivostok-summit.yaml"
    kim = content / "actors" / "kim-jong-un.yaml"
    planned = content / "meetings" / "2023-09-putin-kim-meeting.yaml"

    def rename() -> None:
        meeting.write_text(
            meeting.read_text().replace("name: Vladivostok summit", "name: Summit at Vladivostok")
        )

    def delete() -> None:
        (content / "actors" / "associated-press.yaml").unlink()
        source = content / "sources" / "2023-news-article.yaml"
        source.write_text(source.read_text().replace("publisher: associated-press", "publisher: AP"))

    def add() -> None:
        (content / "actors" / "sergei-shoigu.yaml").write_text(
            "name: Sergei Shoigu\nsummary: Russia's defence minister.\ntype: person\ncountry: russia\n"
            "sources: [2023-news-article]\n"
        )
        planned.write_text(
            planned.read_text().replace("[kim-jong-un, russia]", "[kim-jong-un, russia, sergei-shoigu]")
        )

    def redate() -> None:
        planned.write_text(planned.read_text().replace('date: "2023-09~"', 'date: "2018-06"'))

    good = kim.read_text()

    def break_() -> None:
        kim.write_text(good.replace("country: north-korea", "country: nowhere"))

    def fix() -> None:
        kim.write_text(good)

    first, total = serve_build(project, served)
    assert first == total > 20  # nothing to reuse yet
    steps: list[tuple[str, Callable[[], None]]] = [
        ("rename", rename),
        ("delete", delete),
        ("add", add),
        ("redate", redate),
        ("break", break_),
        ("fix", fix),
    ]
    rendered: dict[str, tuple[int, int]] = {}
    for name, edit in steps:
        edit()
        rendered[name] = serve_build(project, served)
        clean = tmp_path / f"clean-{name}"
        serve_build(project, clean, fresh=True)
        assert_same_site(served, clean)
        shutil.rmtree(clean)
    kim_page = (served / "actors" / "kim-jong-un" / "index.html").read_text(encoding="utf-8")
    assert "Summit at Vladivostok" in kim_page  # the participant's page shows the renamed meeting
    planned_page = served / "meetings" / "2023-09-putin-kim-meeting" / "index.html"
    assert "Sergei Shoigu" in planned_page.read_text(encoding="utf-8")
    for name in ("rename", "delete", "add", "redate"):
        done, pages = rendered[name]
        assert 0 < done < pages, (name, rendered)  # only some pages rendered again
    assert rendered["break"][0] == rendered["break"][1]  # the error banner is on every page


@pytest.mark.parametrize("change", ["mkdocs.yml", "own page"])
def test_a_change_outside_the_content_renders_every_page(tmp_path: Path, change: str) -> None:
    project = make_project(tmp_path / "p")
    served = tmp_path / "served"
    serve_build(project, served)
    if change == "mkdocs.yml":
        yml = project / "mkdocs.yml"
        yml.write_text(yml.read_text().replace("site_name: Test briefing", "site_name: Test briefing 2"))
    else:
        about = project / "docs" / "about.md"
        about.write_text("# About this briefing\n")
    done, pages = serve_build(project, served)
    assert done == pages
    clean = tmp_path / "clean"
    serve_build(project, clean, fresh=True)
    assert_same_site(served, clean)
