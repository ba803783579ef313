"""``factsheet new`` (a commented skeleton entry) and ``factsheet init`` (a briefing project
that checks, builds --strict, exports and bundles as it is)."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from test_plugin import strict_build
from test_workflow import severe, tool
from trees import VALID_TREE, write_tree

from generator.build import load_graph
from generator.cli import main
from generator.config import plugin_options, read_mkdocs_yml
from generator.errors import ContentError
from generator.model import KINDS, MODELS
from generator.scaffold import briefing_workflow, repository_workflow, skeleton

PLACEHOLDER = re.compile(r'^(?P<lead>\s*(?:- )?)(?P<key>\w+): (?P<value>""|\[""\])', re.MULTILINE)


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), prog_name="factsheet")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def fill(text: str, kind: str, source: str, actors: tuple[str, str]) -> str:
    """Fill every placeholder of a skeleton, as a curator would; an unknown one fails the test."""
    values = {
        "name": '"A filled-in entry"',
        "summary": '"Written by the test."',
        "type": "person" if kind == "actors" else "statement",
        "source": source,
        "date": '"2024-03~"',
        "participants": f"[{actors[0]}]",
        "imposed_by": f"[{actors[0]}]",
        "targets": f"[{actors[1]}]",
    }

    def replace(match: re.Match[str]) -> str:
        assert match["key"] in values, f"a placeholder the test does not know: {match['key']}"
        return f"{match['lead']}{match['key']}: {values[match['key']]}"

    filled = PLACEHOLDER.sub(replace, text)
    assert not PLACEHOLDER.search(filled)
    return filled


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path / "content", VALID_TREE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------- new


@pytest.mark.parametrize("kind", [k.folder for k in KINDS])
def test_skeleton_has_every_required_field_and_the_optional_ones_commented(kind: str) -> None:
    text = skeleton(kind, "some-id")
    model = MODELS[kind]
    top = set(re.findall(r"^(\w+):", text, re.MULTILINE))
    commented = set(re.findall(r"^# (\w+):", text, re.MULTILINE))
    required = {name for name, f in model.model_fields.items() if f.is_required()}
    optional = set(model.model_fields) - required - {"id"}  # the id is the file name
    assert top == required
    assert commented == optional
    assert "some-id" in text.splitlines()[0]
    # every optional field, uncommented, is still YAML of the right shape
    uncommented = re.sub(r"^# (\w+:)", r"\1", text, flags=re.MULTILINE)
    assert set(yaml.safe_load(uncommented)) == set(model.model_fields) - {"id"}


def test_new_entries_fail_check_until_filled_then_pass(project: Path) -> None:
    paths = {}
    for kind in KINDS:
        entity_id = f"new-{kind.singular.lower()}"
        result = run("new", kind.folder, entity_id)
        assert result.exit_code == 0, result.output
        paths[kind.folder] = project / "content" / kind.folder / f"{entity_id}.yaml"
        assert (
            result.stdout
            == f'wrote content/{kind.folder}/{entity_id}.yaml: fill in every "" and run factsheet check\n'
        )
    checked = run("check")
    assert checked.exit_code == 1
    for kind, path in paths.items():
        placeholders = len(PLACEHOLDER.findall(path.read_text(encoding="utf-8")))
        reported = [line for line in checked.stderr.splitlines() if line.startswith(f"content/{kind}/new-")]
        assert len(reported) == placeholders >= 1, (kind, reported)
    for kind, path in paths.items():
        path.write_text(
            fill(path.read_text(encoding="utf-8"), kind, "2023-news-article", ("russia", "north-korea")),
            encoding="utf-8",
        )
    result = run("check")
    assert result.exit_code == 0, result.output
    graph = load_graph(project / "content")
    assert graph.entity("new-actor").name == "A filled-in entry"  # type: ignore[union-attr]


def test_new_accepts_the_singular(project: Path) -> None:
    assert run("new", "meeting", "2024-talks").exit_code == 0
    assert (project / "content" / "meetings" / "2024-talks.yaml").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("meetings", "russia"), "content/actors/russia.yaml already exists"),
        (("actors", "Russia"), "'Russia' is not a valid id"),
        (("actors", "kim_jong_un"), "'kim_jong_un' is not a valid id"),
        (("actors", "kim--jong"), "'kim--jong' is not a valid id"),
        (("actors", "--", "-kim"), "'-kim' is not a valid id"),
        (("actors", "a" * 81), "is not a valid id"),
        (("actors", "con"), "Windows reserves the file name con.yaml"),
        (("actors", "kim\x1b[2J"), "'kim\\x1b[2J' is not a valid id"),
    ],
)
def test_new_refuses_an_id_that_exists_or_is_not_valid(
    project: Path, args: tuple[str, ...], message: str
) -> None:
    before = sorted(p for p in (project / "content").rglob("*"))
    result = run("new", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert sorted(p for p in (project / "content").rglob("*")) == before


def test_new_refuses_an_id_taken_in_another_spelling(project: Path) -> None:
    (project / "content" / "events" / "Big-Test.yml").write_text("name: x\n", encoding="utf-8")
    result = run("new", "actors", "big-test")
    assert result.exit_code == 2 and "content/events/Big-Test.yml already exists" in result.stderr


def test_new_refuses_an_unknown_kind(project: Path) -> None:
    result = run("new", "people", "someone")
    assert result.exit_code == 2 and "people" in result.stderr


# ---------------------------------------------------------------- init


def test_init_project_checks_builds_strict_exports_and_bundles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "my-briefing")
    assert result.exit_code == 0, result.output
    root = tmp_path / "my-briefing"
    assert "my-briefing: wrote 13 files" in result.stdout
    assert (root / "docs").is_dir() and [p.name for p in (root / "docs").iterdir()] == [".gitkeep"]
    assert {p.parent.name for p in (root / "content").rglob("*.yaml")} == {k.folder for k in KINDS}
    assert (root / "README.md").read_text(encoding="utf-8").startswith("# My briefing\n")
    assert "/site/" in (root / ".gitignore").read_text(encoding="utf-8")
    assert (root / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1].startswith("factsheet")

    mkdocs_text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    mkdocs = read_mkdocs_yml(root / "mkdocs.yml")
    assert mkdocs["theme"]["name"] == "material" and mkdocs["theme"]["font"] is False
    assert "search" in mkdocs["plugins"] and plugin_options(mkdocs) == {"content": "content"}
    assert "lang" not in str(mkdocs["plugins"])
    assert re.search(r"^# .*site_url|^site_url: \S+", mkdocs_text, re.MULTILINE)
    assert re.search(r"^# Where the site will be published", mkdocs_text, re.MULTILINE)

    monkeypatch.chdir(root)
    assert run("check").exit_code == 0
    result = run("new", "actors", "jane-doe")
    assert result.exit_code == 0, result.output
    path = root / "content" / "actors" / "jane-doe.yaml"
    filled = fill(path.read_text(encoding="utf-8"), "actors", "example-news-report", ("", ""))
    path.write_text(filled, encoding="utf-8")
    result = run("check")
    assert result.stdout == "content: 8 entries OK (4 actors, 1 meeting, 1 sanction, 1 event, 1 source)\n"

    strict_build(root, tmp_path / "site")
    assert (tmp_path / "site" / "actors" / "jane-doe" / "index.html").is_file()
    assert (tmp_path / "site" / "meetings" / "example-2024-03-grain-talks" / "index.html").is_file()
    downloads = tmp_path / "site" / "downloads"  # the site offers the JSON export and the schemas
    offered = json.loads((downloads / "export.json").read_text(encoding="utf-8"))
    jsonschema.validate(offered, json.loads((downloads / "export.schema.json").read_text(encoding="utf-8")))
    assert len(offered["entries"]) == 8 and offered["title"] == "Example briefing"
    for kind in [*MODELS, "content"]:
        assert json.loads((downloads / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))

    for fmt in ("json", "csv", "ftm"):
        result = run("export", "--format", fmt)
        assert result.exit_code == 0, result.output
    data = json.loads((root / "build" / "export" / "json" / "export.json").read_text(encoding="utf-8"))
    assert len(data["entries"]) == 8
    assert (root / "build" / "export" / "csv" / "actors.csv").read_text(encoding="utf-8").count("\n") == 5
    ftm_lines = (
        (root / "build" / "export" / "ftm" / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
    )
    assert any(json.loads(line)["id"] == "jane-doe" for line in ftm_lines)

    result = run("bundle", "--out", "build/offline.zip")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(root / "build" / "offline.zip") as bundle:
        assert "offline/actors/jane-doe.html" in bundle.namelist()


def test_init_examples_are_valid_and_clearly_fictional(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "p")).exit_code == 0
    graph = load_graph(tmp_path / "p" / "content")
    assert all(k.folder in graph.by_kind and graph.by_kind[k.folder] for k in KINDS)
    for record in graph.records.values():
        assert record.id.startswith("example-")
        assert "(example)" in record.entity.name
        text = record.document.path.read_text(encoding="utf-8")
        assert text.startswith("# EXAMPLE ENTRY, fictional")
    assert graph.disputes  # one claim disputes another


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me", encoding="utf-8")
    result = run("init", "notes")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: DIR notes already holds files factsheet did not write (mine.txt); choose a new or "
        "empty folder, or pass --force to write into it anyway\n"
    )
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["mine.txt"]
    result = run("init", "notes", "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes" / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "notes" / "mkdocs.yml").is_file()


def test_init_into_a_fresh_git_repository_and_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("init", ".")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mkdocs.yml").is_file()
    assert (tmp_path / "content" / "actors" / "example-ruritania.yaml").is_file()
    result = run("init", ".")  # now a project: never over itself
    assert result.exit_code == 2 and "overlaps the project folder" in result.stderr


def test_init_inside_a_project_never_writes_into_its_content(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: x\nplugins: [factsheet]\n", encoding="utf-8")
    result = run("init", "content/new")
    assert result.exit_code == 2
    assert "overlaps the content folder" in result.stderr
    assert not (project / "content" / "new").exists()
    assert run("init", "briefings/next").exit_code == 0  # a sub-folder of the project is fine


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("", encoding="utf-8")
    result = run("init", str(tmp_path / "f"))
    assert result.exit_code == 2 and "is a file" in result.stderr


# ---------------------------------------------------------------- the workflow it copies


def test_init_workflow_is_the_repositorys_adapted_and_valid(tmp_path: Path) -> None:
    original = repository_workflow()
    assert original is not None, "the Pages workflow is neither packaged nor in the source tree"
    adapted = briefing_workflow(original)
    for development_only in (".ci/", "scripts/", "tests/", "docs/publishing.md"):
        assert development_only not in adapted
    for line in original.splitlines():  # every action, pinned as in the repository
        if "uses:" in line:
            assert line in adapted
    assert adapted.count(".venv/bin/pip install -r requirements.txt") == 1
    assert ".venv/bin/factsheet check" in adapted
    assert ".venv/bin/mkdocs build --strict" in adapted
    data = yaml.safe_load(adapted)
    runs = [str(step.get("run", "")) for step in data["jobs"]["build"]["steps"]]
    install = next(i for i, r in enumerate(runs) if "pip install -r requirements.txt" in r)
    build = next(i for i, r in enumerate(runs) if "mkdocs build --strict" in r)
    assert install < build
    path = tmp_path / "pages.yml"
    path.write_text(adapted, encoding="utf-8")
    proc = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run(
        [tool("zizmor"), "--offline", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 or 10 <= proc.returncode <= 14, proc.stderr[-2000:]
    findings = [f for f in json.loads(proc.stdout or "[]") if not f.get("ignored")]
    assert not severe(findings), severe(findings)


def test_content_errors_still_come_from_check(tmp_path: Path) -> None:
    """A skeleton left unfilled is refused by the same check as any content."""
    content = write_tree(tmp_path / "content", VALID_TREE)
    (content / "actors" / "x.yaml").write_text(skeleton("actors", "x"), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_graph(content)
    assert {d.field for d in info.value.diagnostics} == {"name", "summary", "type", "sources[0].source"}


def test_new_without_hard_links_still_never_replaces(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    assert run("new", "actors", "jane-doe").exit_code == 0
    path = project / "content" / "actors" / "jane-doe.yaml"
    assert path.read_text(encoding="utf-8") == skeleton("actors", "jane-doe")
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left
