"""Stage 1, load: YAML text -> plain values with 1-based positions; unsafe YAML refused."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import Diagnostic
from generator.load import LoadFailure, Pos, UnquotedDate, load, parse_text


def parse(text: str) -> Any:
    return parse_text(text, "x.yaml")


def failure(text: str) -> Diagnostic:
    with pytest.raises(LoadFailure) as info:
        parse(text)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.path == "x.yaml"
    return diagnostic


def where(d: Diagnostic) -> tuple[int, int]:
    return d.line, d.column


# ---------------------------------------------------------------- positions


DOC = """\
name: Kim Jong Un
aliases:
  - Kim
  - {name: 김정은, lang: ko}
roles:
  - title: Leader
    start: "2011-12"
"""


def test_positions_of_values_and_keys_are_one_based() -> None:
    data, values, keys, _ = parse(DOC)
    assert data["name"] == "Kim Jong Un"
    assert values[()] == Pos(1, 1)
    assert keys[("name",)] == Pos(1, 1)
    assert values[("name",)] == Pos(1, 7)
    assert keys[("aliases",)] == Pos(2, 1)
    assert values[("aliases",)] == Pos(3, 3)
    assert values[("aliases", 0)] == Pos(3, 5)
    assert values[("aliases", 1)] == Pos(4, 5)
    assert keys[("aliases", 1, "lang")] == Pos(4, 17)
    assert values[("aliases", 1, "lang")] == Pos(4, 23)
    assert keys[("roles", 0, "start")] == Pos(7, 5)
    assert values[("roles", 0, "start")] == Pos(7, 12)


def test_columns_count_characters_not_bytes() -> None:
    _, values, _, _ = parse("a: 日本語😀\nb: [日本語😀, x]\n")
    assert values[("b", 1)] == Pos(2, 11)


def test_document_pos_falls_back_to_nearest_ancestor(tmp_path: Path) -> None:
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "kim.yaml").write_text(DOC, encoding="utf-8")
    (doc,) = load(tmp_path).documents
    assert doc.pos(("roles", 0, "start")) == Pos(7, 12)
    assert doc.pos(("roles", 0, "end")) == Pos(6, 5)  # not there: the role it belongs to
    assert doc.pos(("roles", 0, "start"), key=True) == Pos(7, 5)
    assert doc.pos(("nowhere", 3)) == Pos(1, 1)


def test_the_c_loader_is_used_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[type] = []
    real_compose = yaml.compose

    def compose(stream: str, Loader: type) -> Any:
        used.append(Loader)
        return real_compose(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", compose)
    parse("name: x\n")
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert used == [expected]


# ---------------------------------------------------------------- values


def test_scalars_are_built_as_safe_load_builds_them() -> None:
    text = "a: text\nb: 12\nc: 1.5\nd: yes\ne: ~\nf: '12'\ng: !!str 12\nh: [1, two]\n"
    data, *_ = parse(text)
    assert data == yaml.safe_load(text)


def test_unquoted_dates_are_kept_apart_for_validation() -> None:
    data, *_ = parse("date: 2019-04-25\nwhen: 2019-04-25 10:00:00\nquoted: '2019-04-25'\n")
    assert isinstance(data["date"], UnquotedDate)
    assert data["date"].text == "2019-04-25"
    assert data["when"].text == "2019-04-25 10:00:00"
    assert data["quoted"] == "2019-04-25"


def test_non_text_scalars_keep_the_text_as_written() -> None:
    _, _, _, texts = parse("a: yes\nb: 0x1F\nc: [No, 1_000]\nd: text\n")
    assert texts == {("a",): "yes", ("b",): "0x1F", ("c", 0): "No", ("c", 1): "1_000"}


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {name: X, type: person}\nactor:\n  <<: *b\n  name: Y\n",
        "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n",
        "c:\n  <<: {x: 1, y: {deep: [1, 2]}}\n  x: 0\n",
        "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n",
    ],
)
def test_merge_keys_work_like_safe_load(text: str) -> None:
    data, *_ = parse(text)
    assert data == yaml.safe_load(text)


def test_merged_values_keep_their_own_positions_and_explicit_keys_win() -> None:
    text = "base: &b {name: X, tags: [a]}\nactor:\n  name: Y\n  <<: *b\n"
    data, values, keys, _ = parse(text)
    assert data["actor"] == {"name": "Y", "tags": ["a"]}
    assert values[("actor", "name")] == Pos(3, 9)  # the explicit value, not the merged one
    assert keys[("actor", "name")] == Pos(3, 3)
    assert values[("actor", "tags", 0)] == Pos(1, 27)  # where the merged value is written


def test_merge_key_takes_only_mappings() -> None:
    d = failure("name: x\n<<: [1]\n")
    assert where(d) == (2, 6)
    assert "merge key (<<) takes a mapping" in d.message


# ---------------------------------------------------------------- refused YAML


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    d = failure("name: A\nsummary: s\nname: B\n")
    assert where(d) == (3, 1)
    assert d.field == "name"
    assert "duplicate key 'name' (first at line 1)" in d.message


def test_nested_duplicate_keys_are_refused() -> None:
    d = failure("native_name:\n  name: a\n  lang: ko\n  name: b\n")
    assert where(d) == (4, 3)
    assert d.field == "native_name.name"
    assert "first at line 2" in d.message


@pytest.mark.parametrize(
    ("text", "tag", "pos", "field"),
    [
        ("body: !!python/object:os.system x\n", "!!python/object:os.system", (1, 7), "body"),
        ("body: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system", (1, 7), "body"),
        ("body: !!python/name:os.system\n", "!!python/name:os.system", (1, 7), "body"),
        ("tags: !foo [a]\n", "!foo", (1, 7), "tags"),
        ("name: !foo bar\n", "!foo", (1, 7), "name"),
        ("!foo\nname: x\n", "!foo", (1, 1), ""),
        ("body: !!binary aGVsbG8=\n", "!!binary", (1, 7), "body"),
        ("tags: !!set {a, b}\n", "!!set", (1, 7), "tags"),
        ("roles:\n  - !!omap [{a: 1}]\n", "!!omap", (2, 5), "roles[0]"),
    ],
)
def test_tags_are_refused(text: str, tag: str, pos: tuple[int, int], field: str) -> None:
    d = failure(text)
    assert f"YAML tag '{tag}' is not allowed" in d.message
    assert where(d) == pos
    assert d.field == field


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    text = f'body: !!python/object/apply:os.system ["touch {marker}"]\n'
    failure(text)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "what", "line"),
    [("- a\n- b\n", "a list", 1), ("just text\n", "a single value", 1), ("# note\n\n- a\n", "a list", 3)],
)
def test_top_level_must_be_a_mapping(text: str, what: str, line: int) -> None:
    d = failure(text)
    assert d.message == f"expected a mapping of fields (name: ...), got {what}"
    assert where(d) == (line, 1)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(text: str) -> None:
    d = failure(text)
    assert where(d) == (1, 1)
    assert "the file is empty" in d.message


@pytest.mark.parametrize("text", ["1: x\n", "~: x\n", "? [a]\n: x\n", "true: x\n"])
def test_keys_must_be_text(text: str) -> None:
    assert "keys must be field names (text)" in failure(text).message


def test_yaml_syntax_error_points_at_the_problem_and_its_context() -> None:
    d = failure("name: X\nsummary: [a, b\ntype: person\n")
    assert where(d) == (3, 5)
    assert d.message.startswith("YAML syntax error: did not find expected ',' or ']'")
    assert "flow sequence that starts at line 2, column 10" in d.message


def test_unclosed_quote() -> None:
    d = failure('name: "X\n')
    assert "quoted scalar that starts at line 1, column 7" in d.message


def test_syntax_error_at_the_end_of_a_file_without_a_final_newline_stays_inside_it() -> None:
    d = failure("name: Associated Press\ns")
    assert where(d) == (2, 2)  # libyaml says line 3, which does not exist
    assert "simple key that starts at line 2, column 1" in d.message


def test_second_document_is_refused() -> None:
    d = failure("name: a\n---\nname: b\n")
    assert where(d) == (2, 1)
    assert "a second document starts here" in d.message


@pytest.mark.parametrize(
    ("text", "pos", "char"),
    [
        ("name: x\nbody: a\x07b\n", (2, 8), "U+0007"),
        ("name: 日本語\nbody: ä\x00b\n", (2, 8), "U+0000"),  # multi-byte characters before it
        ("name: 日本語 \x1b\n", (1, 11), "U+001B"),
    ],
)
def test_control_characters_are_located_in_characters(text: str, pos: tuple[int, int], char: str) -> None:
    d = failure(text)
    assert where(d) == pos
    assert d.message == f"the character {char} is not allowed in YAML (a control character?); remove it"


def test_deep_nesting_is_refused() -> None:
    d = failure("body: " + "[" * 100 + "]" * 100 + "\n")
    assert d.line == 1
    assert "nested more than" in d.message


# ---------------------------------------------------------------- aliases


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_in_little_memory() -> None:
    tracemalloc.start()
    try:
        d = failure(BILLION_LAUGHS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "alias bomb" in d.message
    assert d.line >= 3  # the first value that grows too large, not the top of the file
    assert peak < 50 * 1024 * 1024


def test_moderate_alias_use_is_fine() -> None:
    data, *_ = parse("a: &a [x, y]\nb: *a\nc: [*a, *a]\n")
    assert data == {"a": ["x", "y"], "b": ["x", "y"], "c": [["x", "y"], ["x", "y"]]}


@pytest.mark.parametrize("text", ["tags: &t [a, *t]\n", "&r\nname: X\nself: *r\n"])
def test_recursive_alias_is_refused(text: str) -> None:
    assert "recursive alias" in failure(text).message


# ---------------------------------------------------------------- files and folders


def _write(root: Path, files: dict[str, bytes | str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def _by_path(root: Path, files: dict[str, bytes | str]) -> dict[str, list[Diagnostic]]:
    loaded = load(_write(root, files))
    out: dict[str, list[Diagnostic]] = {}
    for d in loaded.diagnostics:
        out.setdefault(Path(d.path).relative_to(root).as_posix(), []).append(d)
    return out


def test_not_utf8_gives_line_and_column_of_the_bad_byte(tmp_path: Path) -> None:
    found = _by_path(
        tmp_path,
        {
            "actors/a.yaml": b"name: X\nsummary: caf\xe9 au lait\n",
            "actors/b.yaml": "name: 日本\nsummary: 日".encode() + b"\xff\n",
            "actors/c.yaml": "name: X\n".encode("utf-16"),
        },
    )
    (a,) = found["actors/a.yaml"]
    assert where(a) == (2, 13)
    assert a.message == "the file is not UTF-8 (byte 0xe9); save it as UTF-8"
    (b,) = found["actors/b.yaml"]
    assert where(b) == (2, 11)  # columns count characters: "summary: 日" is 10
    (c,) = found["actors/c.yaml"]
    assert where(c) == (1, 1)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    _write(tmp_path, {"actors/a.yaml": b"\xef\xbb\xbfname: X\n"})
    loaded = load(tmp_path)
    assert loaded.diagnostics == []
    assert loaded.documents[0].data == {"name": "X"}


def test_layout_problems(tmp_path: Path) -> None:
    found = _by_path(
        tmp_path,
        {
            "actor/a.yaml": "name: x\n",
            "people/b.yaml": "name: x\n",
            "c.yaml": "name: x\n",
            "actors/nested/d.yaml": "name: x\n",
            "actors/e.yml": "name: x\n",
            "actors/Kim.yaml": "name: x\n",
            "actors/kim jong.yaml": "name: x\n",
            "actors/kim--jong.yaml": "name: x\n",
            "actors/kim_jong.yaml": "name: x\n",
            "actors/" + "a" * 81 + ".yaml": "name: x\n",
            "actors/" + "a" * 80 + ".yaml": "name: x\n",
            "README.md": "# not content",
            "actors/photo.png": b"\x89PNG",
        },
    )
    message = {path: ds[0].message for path, ds in found.items()}
    assert all(where(ds[0]) == (1, 1) and len(ds) == 1 for ds in found.values())
    assert message["actor/a.yaml"].startswith(
        "unknown folder 'actor' (did you mean 'actors'?); expected one of"
    )
    assert message["people/b.yaml"] == (
        "unknown folder 'people'; expected one of sources, actors, meetings, sanctions, events"
    )
    assert message["c.yaml"].startswith("YAML files belong in a kind folder")
    assert "not in 'actors/nested'" in message["actors/nested/d.yaml"]
    assert message["actors/e.yml"].startswith("use the extension .yaml")
    for name in ("Kim", "kim jong", "kim--jong", "kim_jong", "a" * 81):
        assert message[f"actors/{name}.yaml"].startswith(f"bad file name '{name}.yaml'")
    assert set(found) == {
        "actor/a.yaml",
        "people/b.yaml",
        "c.yaml",
        "actors/nested/d.yaml",
        "actors/e.yml",
        "actors/Kim.yaml",
        "actors/kim jong.yaml",
        "actors/kim--jong.yaml",
        "actors/kim_jong.yaml",
        "actors/" + "a" * 81 + ".yaml",
    }


def test_ids_are_unique_across_kinds(tmp_path: Path) -> None:
    loaded = load(_write(tmp_path, {"actors/russia.yaml": "name: a\n", "events/russia.yaml": "name: b\n"}))
    (d,) = loaded.diagnostics
    assert d.path.endswith("events/russia.yaml")
    assert "id 'russia' is already used by" in d.message
    assert d.message.endswith("actors/russia.yaml; ids are unique across all kinds")
    assert loaded.all_ids == {"russia": "actors"}
    assert [doc.id for doc in loaded.documents] == ["russia"]


def test_paths_are_shown_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "content", {"actors/a.yaml": "- x\n"})
    monkeypatch.chdir(tmp_path)
    (d,) = load(Path("content")).diagnostics
    assert d.path == "content/actors/a.yaml"


def test_load_collects_every_file_and_keeps_the_good_ones(tmp_path: Path) -> None:
    loaded = load(
        _write(
            tmp_path,
            {"actors/a.yaml": "name: A\n", "actors/b.yaml": "name: [\n", "sources/c.yaml": "- x\n"},
        )
    )
    assert [doc.id for doc in loaded.documents] == ["a"]
    assert loaded.documents[0].kind == "actors"
    assert len(loaded.diagnostics) == 2
    assert loaded.all_ids == {"a": "actors", "b": "actors", "c": "sources"}
