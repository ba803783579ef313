"""Outputs are owned, reading stays inside: where every command and the plugin may write and read.

Each writing command (build, schema, pdf, bundle, site) goes through one check
(``generator.paths.guard_output``); the plugin checks ``site_dir``; the manifest of an output
folder is verified before anything is deleted; no symbolic link is followed out.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_config
from mkdocs.exceptions import Abort, PluginError
from trees import VALID_TREE, write_tree

from generator.cli import main
from generator.config import load_config
from generator.errors import ConfigError
from generator.write import MANIFEST, write_files

MKDOCS_YML = """\
site_name: Test briefing
docs_dir: briefing
theme:
  name: material
  font: false
plugins:
  - search
  - factsheet:
      content: content
      templates: templates
"""
FOLDER_COMMANDS = ["build", "schema", "pdf", "site"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    write_tree(root / "content", VALID_TREE)
    (root / "templates").mkdir()
    (root / "templates" / "note.txt").write_text("an override folder\n")
    (root / "briefing").mkdir()
    (root / "briefing" / "about.md").write_text("# About\n")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    monkeypatch.chdir(root)
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


# ------------------------------------------------------------------ overlaps


@pytest.mark.parametrize("command", FOLDER_COMMANDS)
@pytest.mark.parametrize(
    ("target", "relation"),
    [
        ("content", "overlaps the content folder (content): it is that folder"),
        ("content/actors", "overlaps the content folder (content): it is inside it"),
        ("templates", "overlaps the templates folder (templates): it is that folder"),
        ("templates/site", "overlaps the templates folder (templates): it is inside it"),
        ("briefing", "overlaps the MkDocs docs_dir (briefing): it is that folder"),
        ("briefing/out", "overlaps the MkDocs docs_dir (briefing): it is inside it"),
        (".", "overlaps the project folder (.): it is that folder"),
        ("..", "overlaps the project folder (.): it contains it"),
    ],
)
def test_an_output_overlapping_a_project_folder_is_refused(
    project: Path, command: str, target: str, relation: str
) -> None:
    before = tree(project.parent)
    line = one_error_line(run(command, "--out", target))
    assert line == f"Error: --out {target} {relation}; choose another folder", line
    assert tree(project.parent) == before  # nothing written, nothing removed


@pytest.mark.parametrize("folder", ["content", "content/actors", "templates", "briefing"])
def test_a_bundle_inside_a_project_folder_is_refused(project: Path, folder: str) -> None:
    before = tree(project.parent)
    line = one_error_line(run("bundle", "--out", f"{folder}/briefing.zip"))
    assert line.startswith(f"Error: --out {folder}/briefing.zip overlaps the ") and "it is inside it" in line
    assert tree(project.parent) == before


def test_schema_out_into_the_content_folder_is_refused(project: Path) -> None:
    line = one_error_line(run("schema", "--out", "content"))
    assert "overlaps the content folder" in line
    assert sorted(p.name for p in (project / "content").iterdir()) == [
        "actors",
        "events",
        "meetings",
        "sanctions",
        "sources",
    ]


def test_an_output_inside_the_project_is_fine(project: Path) -> None:
    assert run("build", "--out", "build/pages").exit_code == 0
    assert run("schema", "--out", "schema").exit_code == 0


# ------------------------------------------------------------------ folders we did not create


@pytest.mark.parametrize("command", FOLDER_COMMANDS)
def test_a_non_empty_folder_we_did_not_create_is_refused_unless_forced(project: Path, command: str) -> None:
    """r07: a user's index.md and actors/<id>.md are never overwritten without --force."""
    home = project / "home"
    write_tree(home, {"index.md": "my own index\n", "actors/kim-jong-un.md": "my own notes\n"})
    line = one_error_line(run(command, "--out", "home"))
    assert line == (
        "Error: --out home already holds files factsheet did not write (actors, index.md); "
        "choose a new or empty folder, or pass --force to write into it anyway"
    )
    assert tree(home) == {"index.md": b"my own index\n", "actors/kim-jong-un.md": b"my own notes\n"}


def test_force_writes_into_a_foreign_folder_but_deletes_nothing_of_it(project: Path) -> None:
    home = project / "home"
    write_tree(home, {"index.md": "my own index\n", "notes/todo.txt": "mine\n"})
    result = run("build", "--out", "home", "--force")
    assert result.exit_code == 0, result.output
    assert (home / "index.md").read_text().startswith("# ")  # replaced, as --force says
    assert (home / "notes" / "todo.txt").read_text() == "mine\n"
    again = run("build", "--out", "home")  # ours now: no --force needed
    assert again.exit_code == 0 and (home / "notes" / "todo.txt").exists()


def test_a_file_we_did_not_write_at_a_page_path_is_refused(project: Path) -> None:
    assert run("build", "--out", "out").exit_code == 0
    page = project / "out" / "actors" / "kim-jong-un.md"
    page.write_text("edited by hand\n")
    (project / "content" / "actors" / "kim-jong-un.yaml").write_text(
        VALID_TREE["actors/kim-jong-un.yaml"].replace("Leader of North Korea.", "Leader.")  # type: ignore[union-attr]
    )
    line = one_error_line(run("build", "--out", "out"))
    assert line == (
        "Error: out: actors/kim-jong-un.md would be replaced, but factsheet did not write it "
        "(or it was changed since); move it away, or pass --force to replace it"
    )
    assert page.read_text() == "edited by hand\n"
    assert run("build", "--out", "out", "--force").exit_code == 0
    assert "Leader." in page.read_text()


# ------------------------------------------------------------------ the manifest


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_tampered_manifest_deletes_nothing_outside_and_nothing_unverified(tmp_path: Path) -> None:
    """r06: ``../victim.txt``, absolute paths, a person's file, paths through a link."""
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text("far away\n")
    write_files({"a.md": b"a\n"}, out)
    (out / "my-notes.md").write_text("mine\n")
    (out / "changed.md").write_text("changed by hand\n")
    (out / "linked").symlink_to(elsewhere)
    precious = _sha(b"precious\n")
    lines = [
        f"{precious}  ../victim.txt",
        f"{precious}  {victim}",
        f"{precious}  a/../../victim.txt",
        f"{precious}  ./../victim.txt",
        f"{_sha(b'far away' + bytes([10]))}  linked/x.md",
        f"{_sha(b'what was written' + bytes([10]))}  changed.md",
        "my-notes.md",  # an old manifest's line: a path, no hash
        "../victim.txt",
        "",
        "garbage line with  two spaces",
    ]
    (out / MANIFEST).write_text("\n".join(lines) + "\n")
    report = write_files({"a.md": b"a\n"}, out)
    assert report.removed == []
    assert sorted(report.kept) == ["changed.md", "my-notes.md"]  # linked/x.md: not ours to consider
    assert victim.read_text() == "precious\n"
    assert (elsewhere / "x.md").read_text() == "far away\n"
    assert (out / "my-notes.md").read_text() == "mine\n"
    assert (out / "changed.md").read_text() == "changed by hand\n"


def test_a_verified_stale_file_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_files({"a.md": b"a\n", "gone/b.md": b"b\n"}, out)
    report = write_files({"a.md": b"a\n"}, out)
    assert report.removed == ["gone/b.md"] and not (out / "gone" / "b.md").exists()
    manifest = (out / MANIFEST).read_text().splitlines()
    assert manifest[1:] == [f"{_sha(b'a' + bytes([10]))}  a.md"]


def test_an_output_subfolder_that_is_a_link_is_never_written_through(project: Path, tmp_path: Path) -> None:
    assert run("build", "--out", "out").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep\n")
    actors = project / "out" / "actors"
    for page in actors.iterdir():
        page.unlink()
    actors.rmdir()
    actors.symlink_to(elsewhere)
    for extra in ([], ["--force"]):
        line = one_error_line(run("build", "--out", "out", *extra))
        assert line == (
            "Error: out/actors is a symbolic link: factsheet writes only into real folders inside out; move it away"
        )
    assert tree(elsewhere) == {"keep.txt": b"keep\n"}


def test_a_page_that_is_a_link_is_replaced_never_written_through(project: Path, tmp_path: Path) -> None:
    assert run("build", "--out", "out").exit_code == 0
    target = tmp_path / "target.md"
    target.write_text("outside\n")
    index = project / "out" / "index.md"
    index.unlink()
    index.symlink_to(target)
    assert "index.md would be replaced, but factsheet did not write it" in one_error_line(
        run("build", "--out", "out")
    )
    assert run("build", "--out", "out", "--force").exit_code == 0
    assert not index.is_symlink() and index.read_text().startswith("# ")
    assert target.read_text() == "outside\n"


# ------------------------------------------------------------------ the plugin's site_dir


def _refused_build(project: Path, caplog: pytest.LogCaptureFixture, **settings: str) -> str:
    """Run ``mkdocs build``, which must fail; what it logged."""
    config = mkdocs_config(str(project / "mkdocs.yml"), **settings)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        with pytest.raises((PluginError, Abort)):
            mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return caplog.text


@pytest.mark.parametrize(
    ("site_dir", "relation"),
    [
        ("content", "overlaps the content folder (content): it is that folder"),
        ("content/site", "overlaps the content folder (content): it is inside it"),
        ("templates", "overlaps the templates folder (templates): it is that folder"),
    ],
)
def test_the_plugin_refuses_a_site_dir_that_would_empty_a_project_folder(
    project: Path, site_dir: str, relation: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = tree(project)
    logged = _refused_build(project, caplog, site_dir=str(project / site_dir))
    assert f"factsheet: site_dir {site_dir} {relation}; MkDocs empties site_dir before it builds" in logged
    assert tree(project) == before


def test_the_plugin_refuses_content_named_like_the_site_dir(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "mkdocs.yml").write_text(MKDOCS_YML.replace("content: content", "content: site"))
    (project / "content").rename(project / "site")
    before = tree(project)
    logged = _refused_build(project, caplog)
    assert "site_dir site overlaps the content folder (site): it is that folder" in logged
    assert tree(project) == before


def test_the_plugin_refuses_a_site_dir_holding_other_files(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = project / "mine"
    write_tree(site, {"thesis.tex": "years of work\n"})
    logged = _refused_build(project, caplog, site_dir=str(site))
    assert "site_dir mine already holds files that are not a built site (thesis.tex)" in logged
    assert (site / "thesis.tex").read_text() == "years of work\n"


def test_r10_site_dir_content_keeps_every_yaml_file(project: Path) -> None:
    """End to end, as r10 does it: ``site_dir: content`` appended to mkdocs.yml."""
    with (project / "mkdocs.yml").open("a") as handle:
        handle.write("site_dir: content\n")
    before = sorted(p for p in (project / "content").rglob("*.yaml"))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "site_dir content overlaps the content folder" in result.stderr
    assert sorted(p for p in (project / "content").rglob("*.yaml")) == before


# ------------------------------------------------------------------ reading stays inside


def test_content_and_templates_outside_the_project_are_refused(project: Path, tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", VALID_TREE)
    (project / "mkdocs.yml").write_text(MKDOCS_YML.replace("content: content", f"content: {outside}"))
    line = one_error_line(run("check"))
    assert line == (
        f"Error: mkdocs.yml: factsheet option 'content' names {outside}, outside the project folder "
        f"({project}); it is read only from inside it (set allow_outside_project: true to allow it)"
    )
    (project / "mkdocs.yml").write_text(MKDOCS_YML.replace("content: content", "content: /etc"))
    assert "option 'content' names /etc, outside the project folder" in one_error_line(run("check"))
    (project / "mkdocs.yml").write_text(MKDOCS_YML.replace("templates: templates", "templates: ../outside"))
    assert "option 'templates' names" in one_error_line(run("check"))


def test_an_explicit_option_or_command_line_allows_another_folder(project: Path, tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", VALID_TREE)
    assert run("check", "--content", str(outside)).exit_code == 0  # named by the person running it
    (project / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("content: content", f"content: {outside}\n      allow_outside_project: true")
    )
    assert run("check").exit_code == 0
    assert load_config().content_dir == outside


def test_a_link_in_the_templates_folder_that_leaves_it_is_refused(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n")
    (project / "templates" / "actor.md.j2").symlink_to(secret)
    with pytest.raises(ConfigError, match="a symbolic link that leaves the templates folder"):
        load_config()
    assert "leaves the templates folder" in one_error_line(run("build", "--out", "out"))


@pytest.mark.parametrize(
    "statement",
    [
        '{% include "../secret.txt" %}',
        '{% include "../../secret.txt" %}',
        '{% import "../secret.txt" as s %}',
        '{% include "/etc/hostname" %}',
        '{% extends "../secret.txt" %}',
    ],
)
def test_template_includes_cannot_reach_outside_the_template_folders(
    project: Path, tmp_path: Path, statement: str
) -> None:
    """Jinja's FileSystemLoader refuses ``..`` and reads absolute names inside its folders."""
    (project / "secret.txt").write_text("SECRET-OF-THE-PROJECT\n")
    (tmp_path / "secret.txt").write_text("SECRET-OUTSIDE\n")
    (project / "templates" / "actor.md.j2").write_text(f"{statement}\n# {{{{ e.name }}}}\n")
    result = run("build", "--out", "out")
    line = one_error_line(result)
    assert "template error" in line and ("secret.txt" in line or "hostname" in line), line
    assert "SECRET" not in result.output
    assert not (project / "out").exists() or all(
        b"SECRET" not in data for data in tree(project / "out").values()
    )


FUZZ_EXAMPLES = max(20, int(os.environ.get("FACTSHEET_FUZZ_EXAMPLES", "200")) // 4)
MANIFEST_PATHS = [
    "../victim.txt",
    "..",
    ".",
    "",
    "/",
    "a/../../victim.txt",
    "./mine.md",
    "mine.md/",
    "mine.md",
    "MINE.md",
    "linked/x.md",
    "linked",
    "a//b.md",
    "a\\..\\..\\victim.txt",
    "mine.md\x00",
    " mine.md",
    "page.md",
    MANIFEST,
]


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["victim", "mine", "x", "random", "none"]),
            st.sampled_from(MANIFEST_PATHS) | st.text(max_size=12),
        ),
        max_size=12,
    )
)
def test_fuzz_any_manifest_deletes_only_verified_files_of_ours(lines: list[tuple[str, str]]) -> None:
    contents = {"victim": b"precious\n", "mine": b"mine\n", "x": b"far away\n"}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "victim.txt").write_bytes(contents["victim"])
        (root / "elsewhere").mkdir()
        (root / "elsewhere" / "x.md").write_bytes(contents["x"])
        out = root / "out"
        write_files({"page.md": b"page\n"}, out)
        (out / "mine.md").write_bytes(contents["mine"])
        (out / "linked").symlink_to(root / "elsewhere")
        text = []
        for which, path in lines:
            sha = _sha(contents[which]) if which in contents else ("0" * 64 if which == "random" else "")
            text.append(f"{sha}  {path}" if sha else path)
        (out / MANIFEST).write_text("\n".join(text) + "\n", errors="surrogateescape")
        with contextlib.suppress(ConfigError):  # refusing is always allowed
            write_files({"page.md": b"page\n"}, out)
        assert (root / "victim.txt").read_bytes() == contents["victim"]
        assert (root / "elsewhere" / "x.md").read_bytes() == contents["x"]
        verified = ("mine", "mine.md") in lines and ("none", "mine.md") not in lines  # no unhashed line
        assert (out / "mine.md").exists() != verified
