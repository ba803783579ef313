"""Safe by default: no curator text reaches readers as live HTML, script, template code or a remote load.

Every attack of the hostile corpus (``hostile.py``) goes into every text field of every
kind at once (and into the plugin's ``description``): one build per
attack. Each (attack, field) case is either refused by ``factsheet check`` with a located
message (the field then gets benign text and the rest is built), or it builds with
``mkdocs build --strict`` and no warning, and then no generated page and no search-index
entry holds anything from content that the benign build of the same tree does not:
no element that runs, loads or submits, no event handler or style attribute, no link with
a scheme other than http, https or mailto, no load from another host, no evaluated
template code; and each entry's ``<title>`` shows its name as text.

Payloads are numbered by field (``alert(137)``, ``evil.example/n137/``), so a failure names
the fields the attack got out through.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile import (
    ATTACKS,
    BENIGN,
    KINDS,
    SLOTS,
    Attack,
    PageFacts,
    Slot,
    accept,
    benign_values,
    comparable,
    entity_page,
    field_group,
    fields_named,
    run_case,
    scan_baseline,
    site_problems,
    strict_build,
    title_text,
    unique,
    values_for,
)

# the fields the contract names (issue 6), as field groups; each must hold a slot
REQUIRED_FIELDS = {
    "name",
    "summary",
    "body",
    "notes",
    "aliases[]",
    "aliases[].name",
    "aliases[].note",
    "native_name.name",
    "tags[]",
    "claims[].text",
    "claims[].attribution",
    "claims[].locator",
    "claims[].date_text",
    "sources[].locator",
    "sources[].note",
    "place.name",
    "roles[].title",
    "roles[].start_text",
    "roles[].end_text",
    "outcomes[]",
    "measures[]",
    "legal_basis[]",
    "reason",
    "items[]",
    "publisher",
    "url",
    "date_text",
    "published_text",
    "retrieved_text",
    "reviewed_text",
    "mkdocs.yml:plugins[].factsheet.description",
}


@dataclass
class Outcome:
    attack: Attack
    tried: int
    """fields that held the attack when the tree was first checked"""
    refused: dict[Slot, str]
    problems: list[str]
    title: str
    """decoded ``<title>`` of the meeting page (its name is the attack)"""


OUTCOMES: dict[str, Outcome] = {}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PageFacts]:
    """The same tree with benign text in every field: what a page may hold that content did not add."""
    root = tmp_path_factory.mktemp("hostile-baseline")
    accepted = accept(root / "project", benign_values())
    assert not accepted.problems and not accepted.refused, (accepted.problems, accepted.refused)
    warnings = strict_build(root / "project", root / "site")
    assert not warnings, warnings
    facts = scan_baseline(root / "site")
    assert entity_page("actors/person-a") in facts
    assert not site_problems(root / "site", facts, evil_links_ok=False)
    for page in facts.values():  # the theme itself has no inline handlers: any is from content
        assert not page.handlers
    return facts


def _run(attack: Attack, root: Path, baseline: dict[str, PageFacts]) -> Outcome:
    values = values_for(attack.text)
    case = run_case(root, values, baseline, attack.web_link)
    page = case.site / entity_page("meetings/meeting-a")
    title = title_text(page.read_text(encoding="utf-8")) if page.is_file() else ""
    tried = sum(v != s.fill(BENIGN) for s, v in values.items())
    outcome = Outcome(attack, tried, case.accepted.refused, case.problems, title)
    OUTCOMES[attack.id] = outcome
    if not case.problems:
        shutil.rmtree(root, ignore_errors=True)
    return outcome


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
def test_attack_in_every_field_never_reaches_readers_as_markup(
    attack: Attack, baseline: dict[str, PageFacts], tmp_path: Path
) -> None:
    outcome = _run(attack, tmp_path, baseline)
    if outcome.problems:
        fields = sorted({f for p in outcome.problems for f in fields_named(p)})
        pytest.fail(
            f"attack {attack.id} {attack.text[:80]!r} reached readers\n"
            f"through {len(fields)} fields: {', '.join(fields) or '(see below)'}\n"
            + "\n".join(unique(outcome.problems)),
            pytrace=False,
        )


def test_corpus_counts_and_field_coverage(
    baseline: dict[str, PageFacts], tmp_path_factory: pytest.TempPathFactory
) -> None:
    started = time.perf_counter()
    for attack in ATTACKS:  # when run alone (-k), build what the parametrized test did not
        if attack.id not in OUTCOMES:
            _run(attack, tmp_path_factory.mktemp(attack.id), baseline)
    tried = sum(o.tried for o in OUTCOMES.values())
    refused = sum(len(o.refused) for o in OUTCOMES.values())
    built = tried - refused
    leaking = [a.id for a in ATTACKS if OUTCOMES[a.id].problems]
    groups = {field_group(s) for s in SLOTS}
    never_built = [s.label for s in SLOTS if all(s in o.refused for o in OUTCOMES.values())]
    print(
        f"\nhostile corpus: {len(ATTACKS)} strings x {len(SLOTS)} fields ({len(groups)} field names, "
        f"{len(KINDS)} kinds + mkdocs.yml) = {tried} cases: {refused} refused by check with a location, "
        f"{built} built with --strict and scanned; {len(leaking)} strings got through: "
        f"{', '.join(leaking) or 'none'} ({time.perf_counter() - started:.1f}s extra)"
    )
    assert len(ATTACKS) >= 45
    assert len(OUTCOMES) == len(ATTACKS)
    assert tried == len(ATTACKS) * len(SLOTS)  # every (string, field) pair, once
    assert refused + built == tried and refused > 0 and built > 0
    assert groups >= REQUIRED_FIELDS, REQUIRED_FIELDS - groups
    for kind in KINDS:
        kind_fields = {field_group(s) for s in SLOTS if s.kind == kind}
        assert {"name", "body", "notes", "tags[]", "claims[].text", "reviewed_text"} <= kind_fields, kind
    # every field was built with some attack in it, not only refused
    assert not never_built, never_built


def test_title_shows_a_hostile_name_as_text(baseline: dict[str, PageFacts], tmp_path: Path) -> None:
    """Escaping keeps the data: the browser tab reads the name, markup and all."""
    attack = next(a for a in ATTACKS if a.id == "name-header")
    outcome = OUTCOMES.get(attack.id) or _run(attack, tmp_path, baseline)
    assert "onerror" in outcome.title
    assert comparable(outcome.title).startswith(comparable(attack.text)), outcome.title


@pytest.mark.parametrize(
    "snippet",
    [
        "<img src=x onerror=alert(1)>",
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" &#106;avascript:alert(1)">x</a>',
        "<p style=color:red>x</p>",
        '<div><img srcset="https://evil.example/a.png 1x"></div>',
        '<a href="https://evil.example/">x</a>',
        '<form action="https://evil.example/"></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        "<p>fspwned</p>",
    ],
)
def test_the_scan_catches_what_it_looks_for(
    snippet: str, baseline: dict[str, PageFacts], tmp_path: Path
) -> None:
    """The scanner stays able to fail: each snippet slipped into a copy of a benign page is reported."""
    site = tmp_path / "site"
    page = site / entity_page("actors/person-a")
    page.parent.mkdir(parents=True)
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text(
        '{"docs": [{"location": "x/", "title": "<img src=x>", "text": "<b>t</b>"}]}', encoding="utf-8"
    )
    page.write_text(f"<html><head><title>t</title></head><body><article>{snippet}</article></body></html>")
    problems = site_problems(site, baseline, evil_links_ok=False)
    assert any(entity_page("actors/person-a") in p for p in problems), problems
    assert any("search index 'x/' title" in p for p in problems), problems
    assert any("search index 'x/' text" in p for p in problems), problems
