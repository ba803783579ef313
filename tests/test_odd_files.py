"""Every odd file and odd value is an error or a warning with a location, never skipped silently.

Names (wrong-case extensions, folders named like files, broken links, hidden files, Windows
names, names that differ only in case), characters (control and bidirectional ones, never
echoed raw), numbers too large to convert, and the documented size limits, which are
refused quickly and with little memory.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from trees import VALID_TREE, write_tree

from generator.cli import main
from generator.errors import Diagnostic, shown
from generator.load import (
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    MAX_MARKDOWN_CHARS,
    LoadFailure,
    content_warnings,
    load,
    parse_text,
)

ACTOR = "name: A\nsummary: s\ntype: person\nsources: [2023-news-article]\n"
FACTSHEET = str(Path(sys.executable).parent / "factsheet")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check(content: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    return result.exit_code, result.output.replace(str(content.parent) + "/", "")


def messages(content: Path) -> dict[str, str]:
    """Path below ``content`` -> message of each load error (run from the folder of ``content``)."""
    return {d.path.removeprefix("content/"): d.message for d in load(content).diagnostics}


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_tree(tmp_path / "content", VALID_TREE)


def test_names_that_look_like_yaml_are_never_skipped(content: Path) -> None:
    actors = content / "actors"
    (actors / "upper.YAML").write_text(ACTOR)
    (actors / "mixed.Yaml").write_text(ACTOR)
    (actors / "short.yml").write_text(ACTOR)
    (actors / "folder.yaml").mkdir()
    (actors / "folder.yaml" / "inner.yaml").write_text(ACTOR)
    (actors / ".yaml").write_text(ACTOR)
    (actors / "dangling.yaml").symlink_to(actors / "nowhere.yaml")
    (actors / "loop.yaml").symlink_to(actors / "loop.yaml")
    os.mkfifo(actors / "pipe.yaml")  # would block a reader forever
    found = messages(content)
    assert found["actors/upper.YAML"].startswith("use the extension .yaml in lowercase, not '.YAML'")
    assert found["actors/mixed.Yaml"].startswith("use the extension .yaml in lowercase, not '.Yaml'")
    assert found["actors/short.yml"].startswith("use the extension .yaml")
    assert found["actors/folder.yaml"].startswith("a folder named 'folder.yaml': entries are files")
    assert found["actors/.yaml"] == "a file named '.yaml' has no id: name it <id>.yaml"
    assert found["actors/dangling.yaml"].startswith("a broken symbolic link")
    assert found["actors/loop.yaml"].startswith("a broken symbolic link")
    assert found["actors/pipe.yaml"].startswith("not a regular file")
    code, output = check(content)
    assert code == 1
    assert "content/actors/dangling.yaml:1:1: a broken symbolic link" in output  # the link, not its target


def test_hidden_files_are_warnings_with_a_location_and_do_not_fail_check(content: Path) -> None:
    (content / "actors" / ".DS_Store").write_bytes(b"\0\0")
    (content / "actors" / ".#kim-jong-un.yaml").symlink_to("user@host.1234")  # an editor's lock file
    (content / ".drafts").mkdir()
    (content / ".drafts" / "x.yaml").write_text(ACTOR)
    warnings = [str(w).replace(str(content.parent) + "/", "") for w in content_warnings(content)]
    assert warnings == [
        "content/.drafts:1:1: warning: hidden folder ignored (names starting with '.' are not read)",
        "content/actors/.#kim-jong-un.yaml:1:1: warning: a broken symbolic link (its target does not exist); "
        "remove it or fix the link",
        "content/actors/.DS_Store:1:1: warning: hidden file ignored (names starting with '.' are not read)",
    ]
    code, output = check(content)
    assert code == 0, output
    assert "content/actors/.DS_Store:1:1: warning: hidden file ignored" in output
    assert "entries OK" in output


def test_other_files_are_still_ignored_as_documented(content: Path) -> None:
    (content / "README.md").write_text("# notes")
    (content / "actors" / "photo.png").write_bytes(b"\x89PNG")
    (content / "actors" / "kim-jong-un.yaml.bak").write_text(ACTOR)
    assert load(content).diagnostics == [] and content_warnings(content) == []


@pytest.mark.parametrize("name", ["con", "aux", "nul", "prn", "com1", "lpt9", "CON", "Aux"])
def test_windows_reserved_names_are_refused(content: Path, name: str) -> None:
    (content / "actors" / f"{name}.yaml").write_text(ACTOR)
    (content / "actors" / f"{name}.notes.txt").write_text("x")
    found = messages(content)
    assert found[f"actors/{name}.yaml"] == (
        f"'{name}.yaml' is a reserved name on Windows (the file cannot be checked out there); rename it"
    )
    assert found[f"actors/{name}.notes.txt"].startswith(f"'{name}.notes.txt' is a reserved name on Windows")


def test_names_differing_only_in_case_are_refused(content: Path) -> None:
    (content / "Actors").mkdir()
    (content / "Actors" / "x.yaml").write_text(ACTOR)
    (content / "sources" / "notes.md").write_text("a")
    (content / "sources" / "NOTES.md").write_text("b")
    found = messages(content)
    assert found["actors"] == (
        "'actors' and 'Actors' differ only in case: they would be one file on Windows and macOS; rename one"
    )
    assert found["sources/notes.md"].startswith("'notes.md' and 'NOTES.md' differ only in case")


def test_symbolic_links_that_leave_the_content_folder_are_located_errors(
    content: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: from outside\nsummary: s\ntype: person\nsources: [2023-news-article]\n")
    (content / "actors" / "outside.yaml").symlink_to(secret)
    (content / "actors" / "up.yaml").symlink_to("../../secret.yaml")
    (content / "elsewhere").symlink_to(tmp_path)  # a whole folder elsewhere
    (content / "actors" / "same.yaml").symlink_to("kim-jong-un.yaml")  # inside: a second id for a file
    found = messages(content)
    leaves = "a symbolic link that leaves the content folder: content is read only from inside it"
    assert found["actors/outside.yaml"].startswith(leaves)
    assert found["actors/up.yaml"].startswith(leaves)
    assert found["elsewhere"].startswith(leaves)
    assert "same.yaml" not in " ".join(found)  # a link inside the folder is read like a file
    documents = {d.id for d in load(content).documents}
    assert "outside" not in documents and "up" not in documents and "same" in documents


# ------------------------------------------------------------------ characters


@pytest.mark.parametrize(
    ("escape", "shown_as"),
    [
        ("\\0", "U+0000"),
        ("\\a", "U+0007"),
        ("\\e", "U+001B"),
        ("\\r", "U+000D"),
        ("\\x7f", "U+007F"),
        ("\\x9b", "U+009B"),  # C1: the one-character CSI
        ("\\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\\u202a", "U+202A (LEFT-TO-RIGHT EMBEDDING)"),
        ("\\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("\\u2069", "U+2069 (POP DIRECTIONAL ISOLATE)"),
    ],
)
def test_control_and_bidi_characters_are_refused_in_any_text(escape: str, shown_as: str) -> None:
    for field, text in [
        ("name", f'name: "Kim{escape}"\n'),
        ("aliases[0].note", f'name: K\naliases:\n  - {{name: k, note: "n{escape}"}}\n'),
        ("claims[0].text", f'name: K\nclaims:\n  - {{id: c, text: "t{escape}"}}\n'),
    ]:
        with pytest.raises(Exception) as info:
            parse_text(text, "f.yaml")
        [d] = info.value.diagnostics  # type: ignore[attr-defined]
        assert d.field == field
        assert d.message.startswith(f"the character {shown_as} is not allowed in text"), d.message


def test_tab_and_newline_stay_allowed() -> None:
    data = parse_text('name: "a\\tb"\nbody: "one\\ntwo"\n', "f.yaml")[0]
    assert data == {"name": "a\tb", "body": "one\ntwo"}


def test_a_control_character_in_a_field_name_is_refused_and_not_echoed() -> None:
    with pytest.raises(Exception) as info:
        parse_text('"na\\e]2;x\\ame": K\n', "f.yaml")
    text = "\n".join(map(str, info.value.diagnostics))  # type: ignore[attr-defined]
    assert "not allowed in a field name" in text
    assert not RAW_CONTROL.search(text)


def test_escape_sequences_are_never_printed_raw(content: Path) -> None:
    """r11: an invalid id holding OSC and CSI sequences, a file name with an escape, both shown escaped."""
    hostile = '"\\e]2;pwned-title\\a\\e[32mcontent: 52 entries OK\\e[0m"'
    (content / "meetings" / "ansi.yaml").write_text(
        f'name: M\nsummary: S\ndate: "2019-04-25"\nparticipants: [{hostile}]\nsources: [2023-news-article]\n'
    )
    (content / "actors" / "bad\x1b[31mname.yaml").write_text(ACTOR)
    (content / "actors" / "rtl\u202etxt.yaml").write_text(ACTOR)
    result = subprocess.run(
        [FACTSHEET, "check", "--content", str(content)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert not RAW_CONTROL.search(result.stdout + result.stderr), repr(result.stderr)
    assert "ansi.yaml:4:16: participants[0]: the character U+001B is not allowed in text" in result.stderr
    assert "bad\\x1b[31mname.yaml" in result.stderr
    assert "rtl\\u202etxt.yaml" in result.stderr


def test_shown_escapes_what_a_terminal_would_act_on() -> None:
    assert shown("a\x1b]2;t\x07b\u202ec\nd\te") == "a\\x1b]2;t\\x07b\\u202ec\\x0ad\\x09e"
    assert str(Diagnostic("x\x1by", 1, 2, "f\x00", "m\x9b")) == "x\\x1by:1:2: f\\x00: m\\x9b"


# ------------------------------------------------------------------ numbers and sizes


def test_huge_integers_give_a_located_message_not_an_internal_error(content: Path) -> None:
    """r08: 5,000 digits (past Python's int conversion limit) anywhere in a file."""
    digits = "9" * 5000
    (content / "actors" / "big.yaml").write_text(f"name: {digits}\n" + ACTOR.split("\n", 1)[1])
    (content / "actors" / "big-list.yaml").write_text(ACTOR + f"tags: [{digits}]\n")
    (content / "actors" / "big-key.yaml").write_text(ACTOR + f"? {digits}\n: x\n")
    code, output = check(content)
    assert code == 1, output
    assert "internal error" not in output
    assert (
        "content/actors/big.yaml:1:7: name: a number of 5,000 characters is too large to read "
        "(at most 4,300 digits); if it is text, put it in quotes"
    ) in output
    assert "content/actors/big-list.yaml:5:8: tags[0]: a number of 5,000 characters" in output
    assert "content/actors/big-key.yaml:5:3: keys must be field names (text), got '9999" in output
    assert len(max(output.splitlines(), key=len)) < 300  # the key is not echoed whole


def test_size_limits_per_value_are_documented_and_enforced() -> None:
    ok = parse_text(f"name: {'x' * MAX_LINE_CHARS}\nsummary: {'y' * MAX_MARKDOWN_CHARS}\n", "f.yaml")[0]
    assert len(ok["name"]) == MAX_LINE_CHARS
    for text, field, limit in [
        (f"name: {'x' * (MAX_LINE_CHARS + 1)}\n", "name", "a one-line field holds at most 1,000"),
        (
            f"name: K\nsummary: {'y' * (MAX_MARKDOWN_CHARS + 1)}\n",
            "summary",
            "a Markdown field holds at most 100,000",
        ),
        (f"name: K\noutcomes: [{'o' * (MAX_MARKDOWN_CHARS + 1)}]\n", "outcomes[0]", "a Markdown field"),
        (
            f"name: K\nsources: [{{source: s, locator: {'l' * 1001}}}]\n",
            "sources[0].locator",
            "a one-line field",
        ),
        (f"name: K\n{'k' * 101}: v\n", "", "a field name holds at most 100"),
    ]:
        with pytest.raises(Exception) as info:
            parse_text(text, "f.yaml")
        [d] = info.value.diagnostics  # type: ignore[attr-defined]
        assert d.field == field and limit in d.message, d
    docs = (Path(__file__).parents[1] / "docs" / "content-format.md").read_text(encoding="utf-8")
    for figure in ("1,000 characters", "100,000 characters", "2 MB", "100 characters"):
        assert figure in docs, figure


def _peak(command: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run ``command``; its result, wall time and peak RSS in MB (of this child alone)."""
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "elapsed = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stdout.write(f'{r.returncode}\\n{elapsed}\\n{peak}\\n' + r.stdout + r.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    code, elapsed, peak, rest = result.stdout.split("\n", 3)
    done = subprocess.CompletedProcess(command, int(code), rest, "")
    return done, float(elapsed), int(peak) // 1024


@pytest.mark.parametrize(
    "body",
    [
        "name: " + "x" * 10 * 1024 * 1024 + "\n",  # r12: a 10 MB name (the file is too big)
        "name: " + "x" * (MAX_FILE_BYTES - 200) + "\n",  # just under 2 MB in one name
        "name: K\nsummary: s\nnotes: " + "y" * (MAX_FILE_BYTES - 200) + "\n",  # in a Markdown field
        "name: K\nsummary: s\naliases:\n" + "  - abcdefghij\n" * 30_000,  # too many values
    ],
    ids=["10MB-name", "2MB-name", "2MB-notes", "many-values"],
)
def test_oversized_content_is_refused_within_2_seconds_and_200_MB(tmp_path: Path, body: str) -> None:
    content = write_tree(tmp_path / "content", VALID_TREE)
    (content / "actors" / "big.yaml").write_text(body + "type: person\nsources: [2023-news-article]\n")
    result, elapsed, peak_mb = _peak([FACTSHEET, "check", "--content", "content"], tmp_path)
    assert result.returncode == 1, result.stdout
    assert "content/actors/big.yaml:" in result.stdout
    assert elapsed < 2.0 + 1.5, elapsed  # 2 s for the work, plus the interpreter's start
    assert peak_mb < 200, peak_mb


# ------------------------------------------------------------------ fuzzing (FACTSHEET_FUZZ_EXAMPLES)

FUZZ_EXAMPLES = int(os.environ.get("FACTSHEET_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FRAGMENTS = [
    "name: ",
    "summary: ",
    "\n",
    "\n  - ",
    ": ",
    '"',
    "'",
    "\\e]2;t\\a",
    "\\e[31m",
    "\\x9b",
    "\\u202e",
    "\\u2066",
    "\\0",
    "\\r",
    "\t",
    "\x85",
    "\u2028",
    "\ufeff",
    "9" * 5000,
    "-0x" + "f" * 4400,
    "1e99999",
    ".inf",
    "&a ",
    "*a",
    "<<: ",
    "? ",
    "!!python/object ",
    "{",
    "}",
    "[",
    "]",
    "#",
    "x" * 1001,
    "kim-jong-un",
    "---\n",
]


@FUZZ
@given(
    st.one_of(
        st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30).map("".join),
        st.text(),
        st.binary(max_size=200).map(lambda raw: raw.decode("utf-8", "replace")),
    )
)
@example("? " + "9" * 5000 + "\n  - ")  # found by this fuzz: a 5,000-digit key was echoed whole
@example("!" + "9" * 5028)  # found by scripts/extended-run: a 5,028-character YAML tag was echoed whole
def test_fuzz_the_loader_never_fails_and_never_prints_a_control_character(text: str) -> None:
    try:
        parse_text(text, "f.yaml")
    except LoadFailure as failure:
        assert failure.diagnostics
        for d in failure.diagnostics:
            assert d.line >= 1 and d.column >= 1
            assert not RAW_CONTROL.search(str(d)), repr(str(d))
            assert len(str(d)) < 2000


NAME_PARTS = [
    "con",
    "Aux",
    "kim",
    "KIM",
    ".",
    "yaml",
    "yml",
    "YAML",
    "\x1b[2J",
    "\u202e",
    " ",
    "-",
    "nul",
    "x",
]


@settings(max_examples=max(20, FUZZ_EXAMPLES // 10), deadline=None, database=None)
@given(st.lists(st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=4).map("".join), max_size=8))
def test_fuzz_file_names_are_read_or_reported_never_skipped_silently(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        (content / "actors").mkdir(parents=True)
        made = []
        for name in names:
            path = content / "actors" / name
            if name in (".", "..") or path.exists() or len(name.encode()) > 255:
                continue
            try:
                path.write_text(ACTOR)
            except OSError:
                continue
            made.append(name)
        loaded = load(content)
        reported = {Path(d.path).name for d in loaded.diagnostics} | {
            Path(d.path).name for d in content_warnings(content)
        }
        read = {d.path.name for d in loaded.documents}
        for name in made:
            looks_like_yaml = name.lower().endswith((".yaml", ".yml"))
            if looks_like_yaml or name.startswith("."):
                assert name in reported or name in read, name
        for d in loaded.diagnostics:
            assert not RAW_CONTROL.search(str(d)), repr(str(d))
