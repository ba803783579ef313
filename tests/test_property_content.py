"""Property: any content, however broken, builds or fails with located errors, never a traceback.

Start from a small valid tree, apply random mutations (dropped fields, swapped types, broken
references, junk keys, junk YAML, random bytes, duplicate keys, deep nesting, files added or
removed), run the pipeline, and check the outcome.

The default number of examples keeps the suite fast. For a long fuzzing run set
FACTSHEET_FUZZ_EXAMPLES, e.g. ``FACTSHEET_FUZZ_EXAMPLES=20000 pytest tests/test_property_content.py``.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from trees import VALID_TREE, write_tree

from generator.build import load_graph
from generator.errors import ContentError
from generator.link import Graph

EXAMPLES = int(os.environ.get("FACTSHEET_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BASE: dict[str, Any] = {rel: yaml.safe_load(text) for rel, text in VALID_TREE.items()}
FOLDERS = ["sources", "actors", "meetings", "sanctions", "events", "people", "actors/sub"]

Loc = tuple[str | int, ...]


def locations(value: Any, loc: Loc = ()) -> list[Loc]:
    """Every path into ``value`` (the root included)."""
    out = [loc]
    if isinstance(value, dict):
        for k, v in value.items():
            out += locations(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += locations(v, (*loc, i))
    return out


def get(value: Any, loc: Loc) -> Any:
    for part in loc:
        value = value[part]
    return value


def put(root: Any, loc: Loc, new: Any) -> Any:
    if not loc:
        return new
    get(root, loc[:-1])[loc[-1]] = new
    return root


def drop(root: Any, loc: Loc) -> Any:
    if loc:
        del get(root, loc[:-1])[loc[-1]]
    return root


def nested(depth: int) -> Any:
    value: Any = "deep"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=datetime.date(1, 1, 1)),  # dumped as an unquoted date
    st.text(max_size=30),
    st.sampled_from(["", " ", "kim-jon-un", "russia", "x#y", "2019-13", "2023-09~", "javascript:x", "ko_KR"]),
)
junk_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
junk_yaml = st.sampled_from(
    [
        "name: [\n",
        "name: 'unclosed\n",
        "- a\n- b\n",
        "just text\n",
        "",
        "name: x\n---\nname: y\n",
        "name: !!python/object/apply:os.system [ls]\n",
        "name: !foo bar\n",
        "a: &a [x, *a]\n",
        "<<: [1]\n",
        "? [a]\n: b\n",
        "1: x\n",
        "name: x\n\tsummary: y\n",
        "name: \x07\n",
        "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    ]
)


def mutate_data(draw: st.DrawFn, files: dict[str, Any]) -> None:
    rel = draw(st.sampled_from(sorted(files)))
    data = files[rel]
    loc = draw(st.sampled_from(locations(data)))
    action = draw(st.sampled_from(["drop", "swap", "break-ref", "junk-key", "deep"]))
    if action == "drop":
        files[rel] = drop(data, loc)
    elif action == "swap":
        files[rel] = put(data, loc, draw(junk_values))
    elif action == "break-ref":
        ids = [at for at in locations(data) if isinstance(get(data, at), str) and "-" in get(data, at)]
        if ids:
            at = draw(st.sampled_from(ids))
            text = get(data, at)
            files[rel] = put(
                data, at, draw(st.sampled_from([text[:-1], text + "x", text.upper(), text + "#c"]))
            )
    elif action == "junk-key":
        holder = get(data, loc)
        if isinstance(holder, dict):
            holder[draw(st.text(min_size=1, max_size=12))] = draw(junk_values)
    else:
        files[rel] = put(data, loc, nested(draw(st.integers(1, 300))))


def mutate_text(draw: st.DrawFn, texts: dict[str, str | bytes]) -> None:
    rel = draw(st.sampled_from(sorted(texts)))
    text = texts[rel]
    action = draw(
        st.sampled_from(["junk-yaml", "bytes", "duplicate-key", "truncate", "insert", "add", "remove"])
    )
    if action == "junk-yaml":
        texts[rel] = draw(junk_yaml)
    elif action == "bytes":
        texts[rel] = draw(st.binary(max_size=200))
    elif action == "duplicate-key" and isinstance(text, str) and text:
        first = text.splitlines()[0]
        texts[rel] = text + first + "\n"
    elif action == "truncate":
        texts[rel] = text[: draw(st.integers(0, len(text)))]
    elif action == "insert" and isinstance(text, str):
        at = draw(st.integers(0, len(text)))
        texts[rel] = text[:at] + draw(st.text(max_size=5)) + text[at:]
    elif action == "add":
        folder = draw(st.sampled_from(FOLDERS))
        name = draw(st.sampled_from(["new", "russia", "Bad Name", "a--b", "x"]))
        suffix = draw(st.sampled_from([".yaml", ".yml", ".md"]))
        texts[f"{folder}/{name}{suffix}"] = draw(
            st.one_of(junk_yaml, st.sampled_from(list(VALID_TREE.values())))
        )
    elif action == "remove" and len(texts) > 1:
        del texts[rel]


@st.composite
def content_trees(draw: st.DrawFn) -> dict[str, str | bytes]:
    files = yaml.safe_load(yaml.safe_dump(BASE))  # a deep copy
    for _ in range(draw(st.integers(0, 3))):
        mutate_data(draw, files)
    texts: dict[str, str | bytes] = {
        rel: yaml.safe_dump(data, allow_unicode=True, sort_keys=False) for rel, data in files.items()
    }
    for _ in range(draw(st.integers(0, 2))):
        mutate_text(draw, texts)
    return texts


def check_outcome(content: Path) -> None:
    try:
        graph = load_graph(content)
    except ContentError as error:
        event("content errors")
        assert error.diagnostics, "a ContentError without diagnostics"
        for d in error.diagnostics:
            path = Path(d.path)
            assert path.is_file(), d
            assert content.resolve() in path.resolve().parents, d
            assert d.line >= 1 and d.column >= 1, d
            lines = path.read_bytes().decode("utf-8", "replace").splitlines()
            assert d.line <= len(lines) + 1, d  # splitlines knows every YAML line break
            assert d.message.strip(), d
            assert "Traceback" not in d.message
    else:
        event("builds")
        assert isinstance(graph, Graph)
        for target, relations in graph.backlinks.items():  # every derived link resolves
            assert target in graph.records
            for ids in relations.values():
                assert all(i in graph.records for i in ids)
        for claim, others in graph.disputes.items():
            assert all(claim in graph.disputes[o] for o in others)


def test_the_starting_tree_is_valid(tmp_path: Path) -> None:
    write_tree(tmp_path, {rel: yaml.safe_dump(data, allow_unicode=True) for rel, data in BASE.items()})
    assert load_graph(tmp_path).counts()["actors"] == 4


@FUZZ
@given(content_trees())
def test_any_content_builds_or_gives_located_errors(tree: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        content.mkdir()
        write_tree(content, tree)
        check_outcome(content)
