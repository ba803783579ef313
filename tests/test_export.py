"""``factsheet export``: JSON (validated against its own JSON Schema), CSV and FollowTheMoney
(validated with the followthemoney package), each checked for what it must not drop."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from trees import VALID_TREE, Tree, write_tree

from generator.build import load_graph
from generator.dates import parse_edtf
from generator.export import (
    FIELD_ROLES,
    date_value,
    export_schema,
    field_roles,
    iso_bound,
    json_export,
    json_files,
)
from generator.export_csv import csv_files, guard
from generator.link import RELATIONS, Graph, references
from generator.model import KINDS, MODELS, Actor, Alias, Citation, Claim, NativeName, Place, Role, Source

REPO = Path(__file__).resolve().parents[1]

# Dates FollowTheMoney cannot hold as they are (a season, unspecified digits, an open end, a
# year before 1000), a sanction with two targets and aliases, a company, a state FtM does
# not know, a formula-like name.
EXTRA: Tree = {
    "actors/example-trading.yaml": """\
name: "=Example Trading LLC"
summary: A trading company.
type: organisation
tags: [company]
country: russia
roles: [{title: Contractor, of: russia, start: "2019"}]
aliases: [{name: ООО Пример, lang: ru, note: registered name}]
sources: [2023-news-article]
""",
    "actors/jane-roe.yaml": """\
name: Jane Roe
summary: An envoy.
type: person
roles:
  - {title: Envoy, of: freedonia, start: "2015", end: "2019-06-30"}
  - {title: Adviser, end: "2020~"}
sources: [2023-news-article]
""",
    "actors/freedonia.yaml": """\
name: Freedonia
summary: An imaginary state.
type: state
native_name: {name: 프리도니아, lang: ko}
sources: [2023-news-article]
reviewed: "2024-04~"
""",
    "events/2019-spring-test.yaml": """\
name: Spring test
summary: A test in the spring.
type: test
date: "2019-21"
date_text: in the spring
place: {name: Somewhere, country: freedonia}
actors: [north-korea]
sources: [2023-news-article]
""",
    "events/201x-transfers.yaml": """\
name: Transfers in the 2010s
summary: Shells, allegedly.
type: transfer
date: "201X"
supplier: north-korea
recipient: russia
items: [artillery shells]
status: alleged
sources: [{source: 2023-news-article, locator: para 9, note: the allegation}]
""",
    "events/ides-of-march.yaml": """\
name: Ides of March
summary: A date FtM cannot hold.
type: other
date: "-0043-03-15"
sources: [un-resolution-1718]
""",
    "meetings/2019-open-talks.yaml": """\
name: Open-ended talks
summary: Talks from 2019 on.
date: "2019/.."
participants: [russia, freedonia]
sources: [2023-news-article]
""",
    "sanctions/two-targets.yaml": """\
name: Two-target measure
summary: One sanction, two targets.
imposed_by: [russia, freedonia]
targets: [north-korea, example-trading]
date: "2019-04?"
legal_basis: [un-arms-embargo, a treaty]
measures: [asset freeze, "LONG_MEASURE"]
status: in-force
reason: A reason.
aliases: [{name: 제재, lang: ko}, Measure 2]
tags: [sanctions]
sources: [{source: un-resolution-1718, locator: para 2}]
claims:
  - id: unlawful
    text: The measure is unlawful.
    attribution: a diplomat, speaking anonymously
    source: 2023-news-article
    date: "2019-05~"
    about: [north-korea]
""",
}
EXTRA["sanctions/two-targets.yaml"] = str(EXTRA["sanctions/two-targets.yaml"]).replace(
    "LONG_MEASURE", "why " * 600
)
EXTRA["actors/example-trading.yaml"] = (
    str(EXTRA["actors/example-trading.yaml"]) + "body: |\n" + "  words\n" * 12_000
)
FULL_TREE: Tree = {**VALID_TREE, **EXTRA}


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return load_graph(write_tree(tmp_path_factory.mktemp("export") / "content", FULL_TREE))


@pytest.fixture(scope="module")
def default_graph() -> Graph:
    return load_graph(REPO / "content")


def entry(data: dict[str, Any], entity_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in data["entries"] if e["id"] == entity_id)
    return found


# ---------------------------------------------------------------- every field is exported


def test_every_field_of_the_model_has_an_export_role() -> None:
    for kind in MODELS:
        names = [name for name, _ in field_roles(kind)]
        assert sorted(names) == sorted(MODELS[kind].model_fields)
    for name, role in FIELD_ROLES.items():
        if role == "date_text":
            assert FIELD_ROLES[name.removesuffix("_text")] == "date"


def test_nested_values_carry_every_field_of_their_model(graph: Graph) -> None:
    """Aliases, citations, claims, places, roles, native names: every model field is a key
    (``*_text`` folded into its date)."""
    data = json_export(graph)
    kim = entry(data, "kim-jong-un")
    trading = entry(data, "example-trading")
    event = entry(data, "2019-spring-test")
    expected = {
        Alias: trading["aliases"][0],
        Citation: kim["sources"][0],
        Claim: kim["claims"][0],
        Place: event["place"],
        Role: kim["roles"][0],
        NativeName: kim["native_name"],
    }
    for model, value in expected.items():
        fields = {f for f in model.model_fields if not f.endswith("_text")}
        assert fields <= set(value), (model.__name__, fields - set(value))


# ---------------------------------------------------------------- JSON and its schema


def test_json_export_validates_against_its_schema(graph: Graph, default_graph: Graph) -> None:
    schema = export_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for g in (graph, default_graph):
        files = json_files(g, "A briefing")
        assert json.loads(files["export.schema.json"]) == schema
        data = json.loads(files["export.json"])
        errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(data)]
        assert not errors, errors[:5]
        assert len(data["entries"]) == sum(g.counts().values())
        assert data["counts"] == g.counts()


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.pop("summary"),  # a field missing
        lambda e: e.update(extra=1),  # a field the format does not have
        lambda e: e.update(kind="meetings"),  # an actor passed off as a meeting
        lambda e: e["country"].update(id="Not An Id"),  # a malformed reference
        lambda e: e["relations"].update(friends=[]),  # an unknown relation
        lambda e: e["roles"][0]["start"].update(earliest="December 2011"),  # a bound that is not ISO
    ],
)
def test_the_schema_rejects_a_damaged_export(graph: Graph, damage: Any) -> None:
    data = json_export(graph)
    damage(entry(data, "kim-jong-un"))
    assert list(jsonschema.Draft202012Validator(export_schema()).iter_errors(data))


def test_every_reference_is_resolved_where_it_is_written(graph: Graph) -> None:
    data = {e["id"]: e for e in json_export(graph)["entries"]}
    checked = 0
    for record in graph.records.values():
        for ref in references(record, graph.records):
            value: Any = data[record.id]
            for part in ref.loc:
                value = value[part]
            target = graph.records[ref.target]
            assert value == {"id": ref.target, "kind": target.kind, "name": target.entity.name}, ref
            checked += 1
    assert checked > 40


def test_reverse_relations_are_the_graphs_backlinks(graph: Graph) -> None:
    data = {e["id"]: e for e in json_export(graph)["entries"]}
    for entity_id, relations in graph.backlinks.items():
        exported = data[entity_id]["relations"]
        assert set(exported) == {r for r, ids in relations.items() if ids} <= set(RELATIONS)
        for relation, ids in relations.items():
            assert [r["id"] for r in exported[relation]] == ids
    russia = data["russia"]["relations"]
    assert {r["id"] for r in russia["meetings"]} >= {"2019-04-25-vladivostok-summit", "2019-open-talks"}
    assert [r["id"] for r in data["un-arms-embargo"]["relations"]["basis_for"]] == ["two-targets"]


def test_claims_carry_their_disputes_on_both_sides(graph: Graph) -> None:
    data = json_export(graph)
    denial = entry(data, "kim-jong-un")["claims"][0]
    talks = entry(data, "2023-arms-talks-statement")["claims"][0]
    assert denial["ref"] == "kim-jong-un#no-arms-sales" and denial["stance"] == "denies"
    assert denial["by"] == {"id": "north-korea", "kind": "actors", "name": "North Korea"}
    assert [d["ref"] for d in denial["in_dispute_with"]] == ["2023-arms-talks-statement#talks-advancing"]
    assert [d["ref"] for d in talks["in_dispute_with"]] == ["kim-jong-un#no-arms-sales"]
    assert talks["disputes"][0]["text"] == "North Korea will not sell arms to Russia."
    assert talks["attribution"] == "a US National Security Council spokesperson" and talks["by"] is None


def test_publisher_and_legal_basis_are_entries_or_text(graph: Graph) -> None:
    data = json_export(graph)
    assert entry(data, "2023-news-article")["publisher"]["id"] == "associated-press"
    assert entry(data, "un-resolution-1718")["publisher"] == {"text": "United Nations"}
    assert entry(data, "two-targets")["legal_basis"] == [
        {"id": "un-arms-embargo", "kind": "sanctions", "name": "UN arms embargo on North Korea"},
        {"text": "a treaty"},
    ]


@pytest.mark.parametrize(
    ("edtf", "earliest", "latest", "approximate", "uncertain"),
    [
        ("2019-04-25", "2019-04-25", "2019-04-25", False, False),
        ("2023-09~", "2023-09-01", "2023-09-30", True, False),
        ("2023-09-04?", "2023-09-04", "2023-09-04", False, True),
        ("2024-02%", "2024-02-01", "2024-02-29", True, True),
        ("2019-02-27/2019-02-28", "2019-02-27", "2019-02-28", False, False),
        ("2019/..", "2019-01-01", None, False, False),
        ("../2019", None, "2019-12-31", False, False),
        ("201X", "2010-01-01", "2019-12-31", False, False),
        ("2019-21", "2019-03-01", "2019-05-31", False, False),
        ("2019-XX", "2019-01-01", "2019-12-31", False, False),
        ("-0043-03-15", "-0043-03-15", "-0043-03-15", False, False),
    ],
)
def test_dates_keep_edtf_and_give_iso_bounds(
    edtf: str, earliest: str | None, latest: str | None, approximate: bool, uncertain: bool
) -> None:
    value = date_value(edtf, "in the source's words")
    assert value == {
        "edtf": edtf,
        "display": parse_edtf(edtf).display(),
        "earliest": earliest,
        "latest": latest,
        "approximate": approximate,
        "uncertain": uncertain,
        "text": "in the source's words",
    }


def test_iso_bounds_of_far_years() -> None:
    assert iso_bound((12345, 1, 2, 0)) == "+12345-01-02"
    assert iso_bound((0, 1, 1, 0)) == "0000-01-01"


def test_dates_in_the_export(graph: Graph) -> None:
    data = json_export(graph)
    planned = entry(data, "2023-09-putin-kim-meeting")["date"]
    assert planned["edtf"] == "2023-09~" and planned["text"] == "later this month"
    assert (planned["earliest"], planned["latest"], planned["approximate"]) == (
        "2023-09-01",
        "2023-09-30",
        True,
    )
    role_start = entry(data, "kim-jong-un")["roles"][0]["start"]
    assert (role_start["edtf"], role_start["earliest"], role_start["latest"]) == (
        "2011-12",
        "2011-12-01",
        "2011-12-31",
    )
    assert entry(data, "kim-jong-un")["claims"][0]["date"]["latest"] == "2023-09-30"
    assert entry(data, "russia")["reviewed"] is None


def test_json_export_is_deterministic(graph: Graph) -> None:
    assert json_files(graph, "t") == json_files(graph, "t")


# ---------------------------------------------------------------- CSV


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_one_file_per_kind_one_row_per_entry(graph: Graph) -> None:
    files = csv_files(graph)
    assert sorted(files) == sorted([f"{k.folder}.csv" for k in KINDS] + ["claims.csv"])
    for kind in KINDS:
        rows = read_csv(files[f"{kind.folder}.csv"])
        assert [r["id"] for r in rows] == graph.by_kind[kind.folder]
        assert not files[f"{kind.folder}.csv"].startswith(b"\xef\xbb\xbf")
    claims = read_csv(files["claims.csv"])
    assert len(claims) == len(graph.claims)


def test_csv_cells(graph: Graph) -> None:
    files = csv_files(graph)
    actors = {r["id"]: r for r in read_csv(files["actors.csv"])}
    assert actors["north-korea"]["aliases"] == "DPRK; 조선민주주의인민공화국 (ko)"
    assert actors["kim-jong-un"]["country"] == "north-korea"
    assert actors["kim-jong-un"]["country_name"] == "North Korea"
    assert actors["kim-jong-un"]["roles"] == "Supreme Leader (North Korea, from 2011-12)"
    assert actors["kim-jong-un"]["claims"] == "kim-jong-un#no-arms-sales"
    assert actors["example-trading"]["name"] == "'=Example Trading LLC"  # never run as a formula
    assert actors["example-trading"]["page"] == "actors/example-trading/"
    meetings = {r["id"]: r for r in read_csv(files["meetings.csv"])}
    planned = meetings["2023-09-putin-kim-meeting"]
    assert (planned["date"], planned["date_earliest"], planned["date_latest"], planned["date_text"]) == (
        "2023-09~",
        "2023-09-01",
        "2023-09-30",
        "later this month",
    )
    assert planned["participants"] == "kim-jong-un; russia"
    assert planned["participants_names"] == "Kim Jong Un; Russia"
    assert meetings["2019-open-talks"]["date_latest"] == ""
    events = {r["id"]: r for r in read_csv(files["events.csv"])}
    assert events["ides-of-march"]["date"] == "-0043-03-15"  # a checked date, not a formula
    claims = {r["ref"]: r for r in read_csv(files["claims.csv"])}
    talks = claims["2023-arms-talks-statement#talks-advancing"]
    assert talks["attribution"] == "a US National Security Council spokesperson"
    assert talks["in_dispute_with"] == "kim-jong-un#no-arms-sales"


def test_csv_bom_and_line_endings(graph: Graph) -> None:
    data = csv_files(graph, bom=True)["actors.csv"]
    assert data.startswith("\ufeffid,name,summary,type,".encode())
    assert b"\r\n" in data


@pytest.mark.parametrize(
    ("cell", "shown"), [("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-x", "'-x"), ("ok", "ok")]
)
def test_formula_guard(cell: str, shown: str) -> None:
    assert guard(cell) == shown


# ---------------------------------------------------------------- FollowTheMoney


def need_followthemoney() -> None:
    """The FtM tests need the package (the test extra installs it): skipped without it, and
    failed in CI, where it must be installed."""
    try:
        import followthemoney  # noqa: F401
    except ImportError:
        message = "followthemoney is not installed; run: pip install -e '.[test]'"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def ftm_lines(graph: Graph) -> list[dict[str, Any]]:
    from generator.export_ftm import ftm_files

    need_followthemoney()

    data = ftm_files(graph)["entities.ftm.json"].decode("utf-8")
    assert data.endswith("\n")
    return [json.loads(line) for line in data.splitlines()]


def validate_ftm(lines: list[dict[str, Any]]) -> None:
    """Each entity is valid for its schema, already clean, with its required properties, and
    every entity it points at is in the file with a schema the property accepts."""
    from followthemoney import model

    by_id = {e["id"]: e for e in lines}
    assert len(by_id) == len(lines), "duplicate ids"
    for data in lines:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, data["schema"]
        schema.validate(data)
        for prop in schema.required:
            assert data["properties"].get(prop), (data["id"], prop)
        proxy = model.get_proxy(data, cleaned=False)  # cleaned again: nothing may change or go
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]
        for name, values in data["properties"].items():
            prop_ = schema.get(name)
            assert prop_ is not None, (data["id"], name)
            if prop_.type.name == "entity":
                for target in values:
                    assert target in by_id, (data["id"], name, target)
                    assert model.get(by_id[target]["schema"]).is_a(prop_.range), (data["id"], name, target)


def test_ftm_entities_validate_with_followthemoney(
    ftm_lines: list[dict[str, Any]], default_graph: Graph
) -> None:
    from generator.export_ftm import ftm_files

    validate_ftm(ftm_lines)
    default = ftm_files(default_graph)["entities.ftm.json"].decode("utf-8").splitlines()
    validate_ftm([json.loads(line) for line in default])


def test_ftm_schema_of_each_actor(ftm_lines: list[dict[str, Any]]) -> None:
    schema = {e["id"]: e["schema"] for e in ftm_lines}
    props = {e["id"]: e["properties"] for e in ftm_lines}
    assert schema["kim-jong-un"] == "Person"
    assert schema["russia"] == schema["freedonia"] == "PublicBody"
    assert props["russia"]["country"] == ["ru"] and props["russia"]["topics"] == ["gov.national"]
    assert "Country: Freedonia (freedonia)" in props["freedonia"]["notes"][0]  # no ISO code: kept as text
    assert schema["associated-press"] == "Organization"
    assert schema["example-trading"] == "Company"  # an organisation tagged company
    assert props["example-trading"]["topics"] == ["sanction"]  # target of an in-force sanction
    assert schema["2023-09-putin-kim-meeting"] == schema["2023-arms-talks-statement"] == "Event"
    assert schema["2023-news-article"] == "Article"
    assert schema["kim-jong-un.role.0"] == "Occupancy" and schema["kim-jong-un.role.0.post"] == "Position"
    assert props["kim-jong-un.role.0.post"]["organization"] == ["north-korea"]
    assert props["kim-jong-un.role.0"]["startDate"] == ["2011-12"]
    assert (props["jane-roe.role.0"]["startDate"], props["jane-roe.role.0"]["endDate"]) == (
        ["2015"],
        ["2019-06-30"],
    )
    assert props["jane-roe.role.0.post"]["organization"] == ["freedonia"]
    assert "country" not in props["jane-roe.role.0.post"]  # Freedonia has no ISO code...
    assert props["jane-roe.role.0.post"]["notes"] == ["Country: Freedonia (freedonia)"]  # ...so it is text
    assert props["jane-roe.role.1"]["endDate"] == ["2020"]
    assert props["jane-roe.role.1"]["description"] == ["End: c. 2020 (EDTF 2020~, approximate)"]
    assert "organization" not in props["jane-roe.role.1.post"]
    assert schema["example-trading.role.0"] == "Membership"
    assert props["example-trading.role.0"] == {
        "member": ["example-trading"],
        "organization": ["russia"],
        "role": ["Contractor"],
        "startDate": ["2019"],
    }


def test_ftm_sanction_per_target(ftm_lines: list[dict[str, Any]], graph: Graph) -> None:
    sanctions = [e for e in ftm_lines if e["schema"] == "Sanction"]
    expected = sum(len(graph.entity(s).targets) for s in graph.by_kind["sanctions"])  # type: ignore[attr-defined]
    assert len(sanctions) == expected
    two = {
        e["properties"]["entity"][0]: e["properties"] for e in sanctions if e["id"].startswith("two-targets.")
    }
    assert set(two) == {"north-korea", "example-trading"}
    assert two["north-korea"]["authority"] == ["Russia", "Freedonia"]
    assert two["north-korea"]["country"] == ["ru"]
    assert two["north-korea"]["listingDate"] == ["2019-04"]
    text = "\n".join(two["north-korea"]["description"])
    assert "EDTF 2019-04?, uncertain" in text
    assert "Also known as: 제재 (ko); Measure 2" in text
    assert "Legal basis: UN arms embargo on North Korea (un-arms-embargo)" in text
    assert "Legal basis: a treaty" in text
    assert two["north-korea"]["provisions"] == ["asset freeze"]  # the other is too long for FtM's strings:
    assert "Measure: " + "why " * 599 + "why" in text  # kept as text instead


def test_ftm_splits_text_longer_than_followthemoney_takes(ftm_lines: list[dict[str, Any]]) -> None:
    from followthemoney import model

    description = next(e for e in ftm_lines if e["id"] == "example-trading")["properties"]["description"]
    limit = model.get("Company").get("description").max_length
    assert len(description) == 2 and all(len(d) <= limit for d in description)
    assert "\n".join(description) == "words\n" * 11_999 + "words"


def _texts(properties: dict[str, list[str]]) -> str:
    return "\n".join(v for p in ("summary", "description", "notes") for v in properties.get(p, []))


def test_ftm_drops_nothing(ftm_lines: list[dict[str, Any]], graph: Graph) -> None:
    """Aliases in every script, every date (as a date, or as EDTF text when FtM cannot hold
    it), every claim with its attribution."""
    from generator.export_ftm import ftm_date

    def derived(entity_id: str) -> list[dict[str, list[str]]]:
        return [
            e["properties"] for e in ftm_lines if e["id"] == entity_id or e["id"].startswith(entity_id + ".")
        ]

    date_props = ("date", "startDate", "endDate", "listingDate", "publishedAt", "retrievedAt")
    aliases = dates = inexact = 0
    for entity_id, record in graph.records.items():
        entity = record.entity
        props = derived(entity_id)
        text = "\n".join(_texts(p) for p in props)
        names = {v for p in props for v in p.get("alias", [])}
        wanted = [a.name for a in entity.aliases]
        if isinstance(entity, Actor) and entity.native_name:
            wanted.append(entity.native_name.name)
        for name in wanted:
            assert name in names or name in text, (entity_id, name)
            aliases += 1
        found_dates = {v for p in props for name in date_props for v in p.get(name, [])}
        edtfs = [getattr(entity, f, None) for f in ("date", "published", "retrieved", "reviewed")]
        if isinstance(entity, Actor):
            edtfs += [d for role in entity.roles for d in (role.start, role.end)]
        edtfs += [c.date for c in entity.claims]
        for edtf in filter(None, edtfs):
            value = ftm_date(edtf)
            if value.exact and (value.single or value.start) in found_dates:
                dates += 1
            else:
                assert f"EDTF {edtf}" in text, (entity_id, edtf)
                inexact += 1
        for claim in entity.claims:
            note = next(e for e in ftm_lines if e["id"] == f"{entity_id}.claim.{claim.id}")
            assert note["schema"] == "Note"
            assert note["properties"]["summary"] == [claim.text]
            if claim.attribution:
                assert f"Attribution: {claim.attribution}" in note["properties"]["description"][0]
    assert (aliases, dates, inexact) == (7, 9, 11)
    assert sum(e["schema"] == "Note" for e in ftm_lines) == len(graph.claims)
    things = [r for r in graph.records.values() if not isinstance(r.entity, Source) and r.kind != "sanctions"]
    citations = sum(len(r.entity.sources) for r in things)  # type: ignore[attr-defined]
    assert sum(e["schema"] == "Documentation" for e in ftm_lines) == citations


def test_ftm_dates_and_their_text(ftm_lines: list[dict[str, Any]]) -> None:
    props = {e["id"]: e["properties"] for e in ftm_lines}
    spring = props["2019-spring-test"]
    assert (spring["startDate"], spring["endDate"]) == (["2019-03"], ["2019-05"])
    assert "Date: Spring 2019 (EDTF 2019-21); the source's words: in the spring" in spring["notes"][0]
    decade = props["201x-transfers"]
    assert (decade["startDate"], decade["endDate"]) == (["2010"], ["2019"])
    assert decade["involved"] == ["north-korea", "russia"]
    assert "Item: artillery shells" in decade["notes"][0] and "Transfer status: alleged" in decade["notes"][0]
    assert props["2019-open-talks"]["startDate"] == ["2019"] and "endDate" not in props["2019-open-talks"]
    assert "date" not in props["ides-of-march"] and "EDTF -0043-03-15" in props["ides-of-march"]["notes"][0]
    planned = props["2023-09-putin-kim-meeting"]
    assert planned["date"] == ["2023-09"]
    assert "(EDTF 2023-09~, approximate); the source's words: later this month" in planned["notes"][0]
    assert props["2019-04-25-vladivostok-summit"]["date"] == ["2019-04-25"]
    assert props["2019-04-25-vladivostok-summit"]["notes"] == ["Status: occurred"]  # an exact date: no text


def test_ftm_claims_keep_anonymous_attribution_and_disputes(ftm_lines: list[dict[str, Any]]) -> None:
    props = {e["id"]: e["properties"] for e in ftm_lines}
    talks = props["2023-arms-talks-statement.claim.talks-advancing"]
    assert talks["entity"] == ["2023-arms-talks-statement", "russia", "kim-jong-un"]
    assert talks["proof"] == ["2023-news-article"]
    description = talks["description"][0]
    assert "Attribution: a US National Security Council spokesperson" in description
    assert (
        "In dispute with kim-jong-un#no-arms-sales (North Korea): North Korea will not sell arms"
        in description
    )
    denial = props["kim-jong-un.claim.no-arms-sales"]
    assert "In dispute with 2023-arms-talks-statement#talks-advancing" in denial["description"][0]
    assert denial["keywords"] == ["claim", "denies"]
    unlawful = props["two-targets.claim.unlawful"]  # a sanction's claim is about its targets
    assert unlawful["entity"] == ["north-korea", "example-trading"]
    assert "Said: c. May 2019 (EDTF 2019-05~, approximate)" in unlawful["description"][0]


# ---------------------------------------------------------------- the command


def run(*args: str) -> Result:
    from generator.cli import main

    result = CliRunner().invoke(main, list(args), prog_name="factsheet")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path / "content", VALID_TREE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_export_command_writes_each_format_to_its_default_folder(project: Path) -> None:
    need_followthemoney()
    for fmt, names in (
        ("json", ["export.json", "export.schema.json"]),
        ("csv", ["actors.csv", "claims.csv", "events.csv", "meetings.csv", "sanctions.csv", "sources.csv"]),
        ("ftm", ["entities.ftm.json"]),
    ):
        result = run("export", "--format", fmt)
        assert result.exit_code == 0, result.output
        out = project / "build" / "export" / fmt
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == names
        assert f"build/export/{fmt}: {len(names)} written, 0 unchanged, 0 removed" in result.stdout
    again = run("export", "--format", "json")
    assert "0 written, 2 unchanged" in again.stdout


def test_export_command_options(project: Path) -> None:
    result = run("export", "--format", "csv", "--bom", "--out", "out/csv", "--content", "content")
    assert result.exit_code == 0, result.output
    assert (project / "out" / "csv" / "actors.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = run("export", "--format", "json", "--bom")
    assert (result.exit_code, result.stderr) == (2, "Error: --bom applies to --format csv only\n")


def test_export_command_refuses_an_output_inside_content(project: Path) -> None:
    result = run("export", "--format", "json", "--out", "content/export")
    assert result.exit_code == 2
    assert "overlaps the content folder" in result.stderr
    assert not (project / "content" / "export").exists()


def test_export_command_reports_content_errors(project: Path) -> None:
    (project / "content" / "actors" / "russia.yaml").write_text("name: Russia\n", encoding="utf-8")
    result = run("export", "--format", "csv")
    assert result.exit_code == 1
    assert "content/actors/russia.yaml" in result.stderr
    assert not (project / "build").exists()


def test_ftm_format_without_the_package_is_a_usage_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "followthemoney", None)
    result = run("export", "--format", "ftm")
    assert result.exit_code == 2
    assert "pip install 'factsheet[ftm]'" in result.stderr


# ---------------------------------------------------------------- on the site


def test_site_without_downloads(tmp_path: Path) -> None:
    from projects import MKDOCS_YML, make_project
    from test_plugin import strict_build

    project = make_project(tmp_path / "p")
    (project / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("      content: content\n", "      content: content\n      downloads: false\n"),
        encoding="utf-8",
    )
    strict_build(project, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "downloads").exists()


def test_site_downloads_are_the_export_and_the_schemas(graph: Graph) -> None:
    from generator.export import site_downloads
    from generator.schema import kind_schema

    files = site_downloads(graph, "t")
    assert files["downloads/export.json"] == json_files(graph, "t")["export.json"]
    assert json.loads(files["downloads/schema/actors.schema.json"]) == kind_schema("actors")
    assert sorted(files) == sorted(
        ["downloads/export.json", "downloads/export.schema.json", "downloads/schema/content.schema.json"]
        + [f"downloads/schema/{k.folder}.schema.json" for k in KINDS]
    )
