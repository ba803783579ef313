"""Property: any content that `factsheet check` accepts builds with `mkdocs build --strict`.

Hypothesis writes valid content trees whose text is hostile to Markdown and HTML (brackets,
pipes, backticks, tags, headings, every script) and whose entries link to each other in
every way the format allows; the site must build in strict mode, where MkDocs turns every
broken link or anchor into a failure. FACTSHEET_FUZZ_EXAMPLES raises the example count.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hostile import elements, url_scheme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from projects import MKDOCS_YML

from generator.build import load_graph

EXAMPLES = max(8, int(os.environ.get("FACTSHEET_FUZZ_EXAMPLES", "150")) // 15)

HOSTILE = [
    "a | b",
    "[x]",
    "*bold* _it_",
    "`code`",
    "<b>tag</b>",
    "# heading",
    "- item",
    "1. one",
    "{{ jinja }}",
    "{% raw %}",
    "x\\y",
    "&amp; &",
    "Путин",
    "김정은",
    "金正恩",
    "Ελλάδα",
    "عربى",
    "line\nbreak",
    "> quote",
    "---",
    "[link](https://example.org/a_(b))",
    "see <https://example.org>",
    "a  b",
]
text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")),
        min_size=1,
        max_size=24,
    ),
).filter(lambda s: s.strip() != "")
dates = st.sampled_from(
    [
        "2019-04-25",
        "2023-07",
        "2022",
        "2023-09~",
        "2023-09?",
        "2019-02-27/2019-02-28",
        "2019/..",
        "201X",
        "2019-22",
    ]
)


@st.composite
def content_trees(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    tree: dict[str, dict[str, Any]] = {}
    tree["sources/src"] = {"name": draw(text), "published": draw(dates), "url": "https://example.org/x"}
    cite = [{"source": "src", "locator": draw(text)}]
    states = [f"state-{i}" for i in range(draw(st.integers(1, 3)))]
    people = [f"person-{i}" for i in range(draw(st.integers(1, 3)))]
    for sid in states:
        tree[f"actors/{sid}"] = {
            "name": draw(text),
            "summary": draw(text),
            "type": "state",
            "aliases": [draw(text), {"name": draw(text), "lang": "ko"}],
            "sources": ["src"],
        }
    for pid in people:
        tree[f"actors/{pid}"] = {
            "name": draw(text),
            "summary": draw(text)
            + f" Linked: [{draw(st.sampled_from(['a', 'b']))}]({draw(st.sampled_from(states))}).",
            "type": "person",
            "country": draw(st.sampled_from(states)),
            "roles": [{"title": draw(text), "of": draw(st.sampled_from(states)), "start": draw(dates)}],
            "sources": cite,
            "claims": [
                {
                    "id": "c1",
                    "text": draw(text),
                    "by": pid,
                    "source": "src",
                    "date": draw(dates),
                    "stance": draw(st.sampled_from(["asserts", "denies"])),
                    "about": [draw(st.sampled_from(states))],
                }
            ],
            "body": draw(text),
            "notes": draw(text),
        }
    actors = states + people
    meetings = [f"meeting-{i}" for i in range(draw(st.integers(0, 3)))]
    for i, mid in enumerate(meetings):
        tree[f"meetings/{mid}"] = {
            "name": draw(text),
            "summary": draw(text),
            "date": draw(dates),
            "date_text": draw(text),
            "place": {"name": draw(text), "country": draw(st.sampled_from(states))},
            "participants": draw(st.lists(st.sampled_from(actors), min_size=1, max_size=3, unique=True)),
            "status": draw(st.sampled_from(["planned", "reported", "occurred", "cancelled"])),
            "follows": meetings[:i][-1:],
            "outcomes": [draw(text)],
            "sources": ["src"],
        }
    tree["sanctions/sanction-0"] = {
        "name": draw(text),
        "summary": draw(text),
        "imposed_by": [draw(st.sampled_from(states))],
        "targets": draw(st.lists(st.sampled_from(actors), min_size=1, max_size=2, unique=True)),
        "legal_basis": ["Basis: " + draw(text)],  # prose, never an id
        "measures": [draw(text)],
        "status": "in-force",
        "sources": ["src"],
    }
    tree["sanctions/sanction-1"] = {
        "name": draw(text),
        "summary": draw(text),
        "imposed_by": [draw(st.sampled_from(states))],
        "targets": [draw(st.sampled_from(actors))],
        "legal_basis": "sanction-0",
        "date": draw(dates),
        "sources": ["src"],
    }
    disputed = draw(st.sampled_from(people))
    tree["events/event-0"] = {
        "name": draw(text),
        "summary": draw(text) + f" See [the claim]({disputed}#c1).",
        "type": "transfer",
        "date": draw(dates),
        "supplier": draw(st.sampled_from(actors)),
        "recipient": draw(st.sampled_from(actors)),
        "items": [draw(text)],
        "status": "alleged",
        "sources": cite,
        "claims": [
            {
                "id": "denial",
                "text": draw(text),
                "attribution": draw(text),
                "source": "src",
                "stance": "denies",
                "disputes": [f"{disputed}#c1"],
            }
        ],
    }
    return tree


# none of these is in the theme's pages (its own form and inputs are the search box)
LOADS_OR_RUNS = frozenset({"img", "iframe", "object", "embed", "base", "video", "audio", "math"})


def _markup_from_content(html: str) -> list[str]:
    """What no generated page may hold, whatever the text: handlers, loads, script URLs."""
    found = []
    for el in elements(html):
        if el.tag in LOADS_OR_RUNS:
            found.append(str(el))
        for name, value in el.attrs:
            scheme = url_scheme(value) if name in ("href", "src", "action", "xlink:href") else None
            if name.startswith("on") or (scheme is not None and scheme not in ("http", "https", "mailto")):
                found.append(str(el))
    return found


def _write(root: Path, tree: dict[str, dict[str, Any]]) -> None:
    for rel, data in tree.items():
        path = root / "content" / f"{rel}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(content_trees())
def test_any_accepted_content_builds_in_strict_mode(tree: dict[str, dict[str, Any]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="factsheet-prop-"))
    try:
        _write(root, tree)
        load_graph(root / "content")  # `factsheet check` accepts it
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs_build(config)  # raises Abort on any warning in strict mode
        config.plugins.on_shutdown()
        assert (root / "site" / "actors" / "person-0" / "index.html").is_file()
        for page in (root / "site").rglob("*.html"):
            assert not _markup_from_content(page.read_text(encoding="utf-8")), page
    finally:
        shutil.rmtree(root, ignore_errors=True)
