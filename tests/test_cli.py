"""The ``factsheet`` command: exact output and exit codes (0 ok, 1 content errors, 2 usage)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from trees import VALID_TREE, write_tree

from generator.cli import main
from generator.model import MODELS

KINDS = ["actors", "meetings", "sanctions", "events", "sources"]  # the order of generator.model.KINDS
OK_LINE = "content: 10 entries OK (4 actors, 2 meetings, 1 sanction, 1 event, 2 sources)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding content/ with the valid tree; the working directory for the test."""
    write_tree(tmp_path / "content", VALID_TREE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), prog_name="factsheet")
    # our errors end in sys.exit; anything else would be a traceback for the user
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


# ---------------------------------------------------------------- check


def test_check_valid_content(project: Path) -> None:
    result = run("check", "--content", "content")
    assert result.exit_code == 0
    assert result.stdout == OK_LINE
    assert result.stderr == ""


def test_check_reads_content_by_default(project: Path) -> None:
    result = run("check")
    assert (result.exit_code, result.stdout) == (0, OK_LINE)


def test_check_counts_a_single_entry_of_a_kind(project: Path) -> None:
    (project / "content" / "sources" / "un-resolution-1718.yaml").unlink()
    (project / "content" / "sanctions" / "un-arms-embargo.yaml").unlink()
    result = run("check")
    assert result.stdout == "content: 8 entries OK (4 actors, 2 meetings, 0 sanctions, 1 event, 1 source)\n"


def test_check_uses_the_folder_mkdocs_yml_configures(project: Path) -> None:
    (project / "content").rename(project / "facts")
    (project / "mkdocs.yml").write_text(
        "site_name: Briefing\nplugins:\n  - search\n  - factsheet:\n      content: facts\n", encoding="utf-8"
    )
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout == OK_LINE.replace("content:", "facts:")


def test_check_reports_every_error_sorted_then_a_count(project: Path) -> None:
    content = project / "content"
    meeting = content / "meetings" / "2019-04-25-vladivostok-summit.yaml"
    meeting.write_text(meeting.read_text().replace("[kim-jong-un, russia]", "[kim-jon-un, russia]"))
    (content / "actors" / "b-bad.yaml").write_text("name: [\n")
    (content / "actors" / "a-bad.yaml").write_text(
        "name: A\nsummary: s\ntype: robot\ncolor: red\nsources: []\n"
    )
    result = run("check", "--content", "content")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "content/actors/a-bad.yaml:3:7: type: expected one of 'person', 'organisation', 'state', 'agency', "
        "'armed-group', 'media' or 'intergovernmental', got 'robot'\n"
        "content/actors/a-bad.yaml:4:1: color: unknown field 'color'; allowed: id, name, body, aliases, tags, "
        "claims, reviewed, reviewed_text, notes, summary, sources, type, country, roles, native_name\n"
        "content/actors/a-bad.yaml:5:10: sources: needs at least one item\n"
        "content/actors/b-bad.yaml:2:1: YAML syntax error: did not find expected node content "
        "(while parsing a flow node)\n"
        "content/meetings/2019-04-25-vladivostok-summit.yaml:5:16: participants[0]: unknown actor "
        "'kim-jon-un' (did you mean 'kim-jong-un'?)\n"
        "5 errors in content\n"
    )


def test_check_paths_are_relative_to_the_working_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "content" / "actors" / "bad.yaml").write_text("- x\n")
    absolute = run("check", "--content", str(project / "content"))
    assert absolute.stderr.startswith("content/actors/bad.yaml:1:1: ")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    outside = run("check", "--content", "../content")
    assert outside.exit_code == 1
    assert outside.stderr.startswith("../content/actors/bad.yaml:1:1: ")


def test_check_one_error_says_error_not_errors(project: Path) -> None:
    (project / "content" / "actors" / "bad.yaml").write_text("")
    result = run("check")
    assert result.stderr.splitlines()[-1] == "1 error in content"


def test_unknown_option_is_a_usage_error(project: Path) -> None:
    result = run("check", "--bogus")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "No such option '--bogus'" in result.stderr


def test_missing_content_folder_is_a_usage_error(project: Path) -> None:
    result = run("check", "--content", "nowhere")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "Error: nowhere: no such content folder\n"


def test_no_content_folder_at_all_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr == "Error: content: no such content folder\n"


def test_content_that_is_a_file_is_a_usage_error(project: Path) -> None:
    (project / "afile").write_text("")
    result = run("check", "--content", "afile")
    assert result.exit_code == 2
    assert "'afile' is a file" in result.stderr


def test_missing_config_file_is_a_usage_error(project: Path) -> None:
    result = run("check", "--config", "nope.yml")
    assert result.exit_code == 2
    assert result.stderr == "Error: nope.yml: no such file\n"


def test_broken_mkdocs_yml_is_a_usage_error(project: Path) -> None:
    (project / "mkdocs.yml").write_text("plugins: [\n")
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: mkdocs.yml: invalid YAML")


def test_unknown_command_is_a_usage_error() -> None:
    result = run("nosuch")
    assert result.exit_code == 2
    assert "No such command 'nosuch'" in result.stderr


# ---------------------------------------------------------------- schema


def test_schema_prints_one_document_with_every_kind() -> None:
    result = run("schema")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(KINDS) <= set(document["$defs"])
    assert document["anyOf"] == [{"$ref": f"#/$defs/{kind}"} for kind in KINDS]
    actors = document["$defs"]["actors"]
    assert set(actors["required"]) == {"name", "summary", "sources", "type"}
    assert actors["additionalProperties"] is False


def test_schema_of_one_kind() -> None:
    result = run("schema", "--kind", "actors")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["title"] == "factsheet actors entry"
    assert "type" in document["properties"]
    assert "participants" not in document["properties"]


def test_schema_of_an_unknown_kind_is_a_usage_error() -> None:
    result = run("schema", "--kind", "people")
    assert result.exit_code == 2
    assert "'people' is not one of" in result.stderr


def test_schema_out_writes_five_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("schema", "--out", "schemas")
    assert result.exit_code == 0
    assert result.stdout == "wrote 5 schemas to schemas\n"
    files = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert files == sorted([".factsheet-manifest", *(f"{kind}.schema.json" for kind in KINDS)])
    for kind in KINDS:
        document = json.loads((tmp_path / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert document["title"] == f"factsheet {kind} entry"
        assert set(document["properties"]) == set(MODELS[kind].model_fields)


# ---------------------------------------------------------------- help


def test_every_command_has_help_text() -> None:
    assert isinstance(main, click.Group)
    assert {"check", "schema"} <= set(main.commands)
    overview = run("--help")
    assert overview.exit_code == 0
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), f"'{name}' has no help text"
        assert name in overview.stdout
        result = run(name, "--help")
        assert result.exit_code == 0
        assert result.stdout.startswith(f"Usage: factsheet {name} [OPTIONS]")
        assert " ".join(command.help.split()) in " ".join(result.stdout.split())
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"'{name} {param.opts[0]}' has no help text"


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("factsheet, version ")


# ---------------------------------------------------------------- the real entry point


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "--content", "content"], 0),
        (["check", "--content", "broken"], 1),
        (["check", "--content", "nowhere"], 2),
        (["check", "--bogus"], 2),
        (["schema", "--kind", "actors"], 0),
    ],
)
def test_installed_command_exit_codes_and_no_traceback(project: Path, args: list[str], code: int) -> None:
    write_tree(
        project / "broken", {"actors/x.yaml": b"name: \xff\n", "meetings/y.yaml": "!!python/name:os.system\n"}
    )
    done = subprocess.run(
        [str(Path(sys.executable).with_name("factsheet")), *args],  # the installed entry point
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_check_counts_read_naturally_for_one_and_no_entries(tmp_path: Path) -> None:
    runner = CliRunner()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["check", "--content", str(empty)])
    assert result.exit_code == 0
    assert result.output.endswith(": no entries found (no YAML files in a kind folder)\n")
    one = tmp_path / "one"
    (one / "sources").mkdir(parents=True)
    (one / "sources" / "a.yaml").write_text("name: A report\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "--content", str(one)])
    assert result.exit_code == 0
    assert result.output.endswith(": 1 entry OK (0 actors, 0 meetings, 0 sanctions, 0 events, 1 source)\n")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{% if %}\n",
            "templates/source.md.j2:1: template error while rendering sources/un-resolution-1718.md: Expected an expression",
        ),
        (
            "# {{ e.name }}\n\n{{ e.no_such_field }}\n",
            "templates/source.md.j2:3: template error while rendering sources/un-resolution-1718.md: ",
        ),
    ],
)
def test_broken_template_override_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, message: str
) -> None:
    write_tree(tmp_path / "content", VALID_TREE)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "source.md.j2").write_text(template, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - factsheet:\n      templates: templates\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--out", "out"])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {message}")
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # nothing written when a page cannot be rendered


def test_an_internal_error_is_reported_plainly_with_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(content_dir: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("generator.cli.load_graph", broken)
    monkeypatch.delenv("FACTSHEET_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["check", "--content", str(write_tree(tmp_path / "c", VALID_TREE))])
    assert result.exit_code == 3
    assert result.output == (
        "factsheet: internal error (RuntimeError: boom). Please report it; "
        "set FACTSHEET_DEBUG=1 to see the traceback.\n"
    )
