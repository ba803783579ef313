"""Golden tests of the error output: one small content tree per class of bad input.

Each case is ``golden/errors/<case>/content/...`` (the input) and ``expected.txt`` (exit code,
stdout and stderr of ``factsheet check --content content`` run from the case folder).
``pytest --update-goldens`` rewrites the expected files; read the diff before committing it:
every message must name the file, line, column and field, and say what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

GOLDEN = Path(__file__).parent / "golden" / "errors"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "content").is_dir())

# The classes of bad input the foundation issue names; each must keep a case.
REQUIRED = {
    "yaml-syntax-error",
    "yaml-tags",
    "duplicate-keys",
    "top-level-not-a-mapping",
    "empty-file",
    "not-utf8",
    "unquoted-date",
    "unquoted-number",
    "wrong-type",
    "unknown-field",
    "missing-required-field",
    "empty-required-field",
    "unknown-folder",
    "bad-file-name",
    "id-differs-from-file-name",
    "dangling-reference",
    "dangling-claim-reference",
    "follows-cycle",
    "invalid-edtf",
    "bad-url",
    "alias-bomb",
    "duplicate-ids",
    "bad-language-tag",
    "claim-without-attribution",
    "transfer-only-fields",
    "country-not-a-state",
}

LOCATED = re.compile(r"^(?P<path>content/[^:]+):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): (?P<rest>.+)$")
COUNT = re.compile(r"^[1-9]\d* errors? in content$")


def render(result: Result) -> str:
    return f"exit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"


def test_every_required_class_has_a_case() -> None:
    assert set(CASES) >= REQUIRED, sorted(REQUIRED - set(CASES))


@pytest.mark.parametrize("case", CASES)
def test_error_output(case: str, monkeypatch: pytest.MonkeyPatch, update_goldens: bool) -> None:
    folder = GOLDEN / case
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["check", "--content", "content"])
    actual = render(result)
    expected_file = folder / "expected.txt"
    if update_goldens:
        expected_file.write_text(actual, encoding="utf-8", newline="\n")
    else:
        assert expected_file.is_file(), f"no golden for {case}: run pytest --update-goldens"
        assert actual == expected_file.read_text(encoding="utf-8")

    # What every golden must show, whatever its text: bad content is exit 1, nothing on
    # stdout, one located line per problem (sorted), then the count.
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.stdout == ""
    *lines, count = result.stderr.splitlines()
    assert COUNT.match(count), count
    assert int(count.split()[0]) == len(lines) > 0
    keys = []
    for line in lines:
        m = LOCATED.match(line)
        assert m, f"not located: {line}"
        assert (folder / m["path"]).is_file(), f"no such file: {m['path']}"
        keys.append((m["path"], int(m["line"]), int(m["col"])))
        source_lines = (folder / m["path"]).read_bytes().split(b"\n")
        assert int(m["line"]) <= max(len(source_lines), 1), f"line past the end of the file: {line}"
    assert keys == sorted(keys)
