"""One configuration: `factsheet check/build` and the MkDocs plugin read the same options the
same way, and the plugin turns on the Markdown extensions its templates need."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.config import load_config
from test_plugin import strict_build
from trees import VALID_TREE, write_tree

from generator.cli import main
from generator.config import load_config as factsheet_config
from generator.plugin import FactsheetPlugin

OVERRIDE = "# Overridden {{ e.name }}\n"


def _project(
    root: Path, plugin_options: str, extensions: str = "[attr_list, md_in_html, tables, toc]"
) -> Path:
    write_tree(root / "site-content", VALID_TREE)
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Parity\ndocs_dir: docs\ntheme: {name: material, font: false}\n"
        f"plugins:\n  - search\n  - factsheet:\n{plugin_options}"
        f"markdown_extensions: {extensions}\n",
        encoding="utf-8",
    )
    return root


def _plugin_pages(project: Path) -> dict[str, str]:
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["factsheet"]
    assert isinstance(plugin, FactsheetPlugin)
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    plugin.on_pre_build(config=config)
    return {page.path: page.text for page in plugin.pages}


def _cli_pages(project: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "--out", "out"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {
        p.relative_to(project / "out").as_posix(): p.read_text(encoding="utf-8")
        for p in (project / "out").rglob("*.md")
    }


def test_cli_and_plugin_build_the_same_pages_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FS_CONTENT_DIR", "site-content")
    project = _project(
        tmp_path,
        "      content: !ENV [FS_CONTENT_DIR, content]\n"  # !ENV read the same way by both
        "      description: The *parity* briefing.\n",
    )
    (project / "templates").mkdir()  # default templates folder, used by both when it exists
    (project / "templates" / "source.md.j2").write_text(OVERRIDE, encoding="utf-8")
    plugin = _plugin_pages(project)
    cli = _cli_pages(project, monkeypatch)
    # 17 entry pages, 7 analysis pages (4 actors' maps), 8 pages of the curator's guide
    assert set(cli) == set(plugin) and len(cli) == 32
    for path, text in plugin.items():
        assert cli[path] == text, path
    assert plugin["sources/2023-news-article.md"] == "# Overridden Putin and Kim plan Russia meeting\n"
    assert "The <em>parity</em> briefing." in plugin["index.md"]
    assert factsheet_config(project / "mkdocs.yml").content_dir == project / "site-content"


def test_a_templates_folder_that_is_named_but_missing_is_an_error_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, "      content: site-content\n      templates: my-templates\n")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert result.output.strip().endswith("my-templates: no such templates folder")
    with pytest.raises(Exception, match=r"my-templates: no such templates folder"):
        _plugin_pages(project)


def test_claims_render_without_any_markdown_extension_configured(tmp_path: Path) -> None:
    project = _project(tmp_path, "      content: site-content\n", extensions="[]")
    site = tmp_path / "site"
    strict_build(project, site)
    html = (site / "actors" / "kim-jong-un" / "index.html").read_text(encoding="utf-8")
    claim = re.search(
        r'<div class="fs-claim fs-claim--denies" id="claim-no-arms-sales">(.*?)</div>', html, re.S
    )
    assert claim is not None
    assert "<strong><a href=" in claim[1] and "**" not in claim[1]  # Markdown inside the claim was read
    assert "<table>" in (site / "actors" / "index.html").read_text(encoding="utf-8")
