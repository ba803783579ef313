"""`factsheet build --out`: atomic per file, only changed bytes, stale pages removed safely."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from trees import VALID_TREE, write_tree

from generator.cli import main
from generator.render import Page
from generator.write import MANIFEST, write_pages


def test_only_changed_files_are_touched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages([Page("a.md", "A", "one\n"), Page("d/b.md", "B", "two\n")], out)
    os.utime(out / "a.md", (1, 1))
    os.utime(out / "d/b.md", (1, 1))
    report = write_pages([Page("a.md", "A", "one\n"), Page("d/b.md", "B", "changed\n")], out)
    assert report.written == ["d/b.md"] and report.unchanged == ["a.md"]
    assert (out / "a.md").stat().st_mtime == 1
    assert (out / "d/b.md").read_text() == "changed\n"
    assert not [p for p in out.rglob("*.tmp")]


def test_stale_generated_pages_are_removed_but_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages([Page("a.md", "A", "1\n"), Page("gone.md", "G", "2\n")], out)
    (out / "mine.txt").write_text("a person's file")
    report = write_pages([Page("a.md", "A", "1\n")], out)
    assert report.removed == ["gone.md"]
    assert (out / "mine.txt").exists() and not (out / "gone.md").exists()
    assert [line.split("  ")[1] for line in (out / MANIFEST).read_text().splitlines()[1:]] == ["a.md"]


def test_build_command_writes_pages_and_refuses_to_write_into_content(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", VALID_TREE)
    runner = CliRunner()
    out = tmp_path / "pages"
    first = runner.invoke(main, ["build", "--content", str(content), "--out", str(out)])
    assert first.exit_code == 0, first.output
    # 17 entry pages, 7 analysis pages, 8 of the curator's guide; the JSON export and 7 schemas
    assert "40 written, 0 unchanged, 0 removed (32 pages, 8 downloads)" in first.output
    assert (out / "downloads" / "export.json").is_file()
    assert (out / "actors" / "kim-jong-un.md").read_text(encoding="utf-8").startswith("# Kim Jong Un\n")
    again = runner.invoke(main, ["build", "--content", str(content), "--out", str(out)])
    assert "0 written, 40 unchanged" in again.output
    inside = runner.invoke(main, ["build", "--content", str(content), "--out", str(content / "x")])
    assert inside.exit_code == 2
    assert "overlaps the content folder" in inside.output
    assert not (content / "x").exists()


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", VALID_TREE)
    out = tmp_path / "pages"
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--content", str(content), "--out", str(out)]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "actors" / "russia.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "--content", str(content), "--out", str(out)])
    assert result.exit_code == 1
    assert "content/actors/russia.yaml:2:1: YAML syntax error" in result.output.replace(
        str(tmp_path) + "/", ""
    )
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_build_command_refuses_to_write_into_the_mkdocs_docs_dir(tmp_path: Path) -> None:
    write_tree(tmp_path / "content", VALID_TREE)
    (tmp_path / "pages").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: pages\n", encoding="utf-8")
    out = tmp_path / "pages" / "generated"
    result = CliRunner().invoke(main, ["build", "--config", str(tmp_path / "mkdocs.yml"), "--out", str(out)])
    assert result.exit_code == 2
    assert "overlaps the MkDocs docs_dir" in result.output
    assert not out.exists()


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_written_files_and_folders_get_the_usual_permissions(tmp_path: Path, umask: int) -> None:
    """Pages come out as ``open()`` would make them (0644 under umask 022), not 0600 as
    temporary files do: a web server running as another user must be able to read them."""
    out = tmp_path / "out"
    previous = os.umask(umask)
    try:
        write_pages([Page("index.md", "I", "1\n"), Page("actors/kim.md", "K", "2\n")], out)
        write_pages([Page("index.md", "I", "changed\n"), Page("actors/kim.md", "K", "2\n")], out)
    finally:
        os.umask(previous)
    for path in (out / "index.md", out / "actors" / "kim.md", out / MANIFEST):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path
    for folder in (out, out / "actors"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask, folder
    assert not list(out.rglob("*.tmp"))
