"""Stage 2, validate: every kind of content error becomes one located, readable diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest
from trees import VALID_TREE, write_tree

from generator.errors import Diagnostic
from generator.load import load
from generator.model import Actor, Event, Meeting, Sanction, Source
from generator.validate import Validated, validate

ACTOR = "name: Kim Jong Un\nsummary: Leader.\ntype: person\nsources: [article]\n"
MEETING = (
    "name: Summit\nsummary: A summit.\ndate: '2019-04-25'\nparticipants: [kim-jong-un]\nsources: [article]\n"
)


def check(tmp_path: Path, files: dict[str, str]) -> Validated:
    return validate(load(write_tree(tmp_path, files)))


def errors(tmp_path: Path, text: str, kind: str = "actors") -> list[tuple[int, int, str, str]]:
    """(line, column, field, message) of each diagnostic for one file."""
    result = check(tmp_path, {f"{kind}/x.yaml": text})
    assert result.records == {}
    for d in result.diagnostics:
        assert d.path.endswith(f"{kind}/x.yaml")
    return [(d.line, d.column, d.field, d.message) for d in sorted(result.diagnostics)]


def only(tmp_path: Path, text: str, kind: str = "actors") -> tuple[int, int, str, str]:
    (error,) = errors(tmp_path, text, kind)
    return error


def test_valid_tree_becomes_typed_records(tmp_path: Path) -> None:
    result = check(tmp_path, VALID_TREE)
    assert result.diagnostics == []
    assert len(result.records) == len(VALID_TREE)
    kinds = {rid: type(r.entity) for rid, r in result.records.items()}
    assert kinds["kim-jong-un"] is Actor
    assert kinds["2023-09-putin-kim-meeting"] is Meeting
    assert kinds["un-arms-embargo"] is Sanction
    assert kinds["2023-arms-talks-statement"] is Event
    assert kinds["2023-news-article"] is Source
    kim = result.records["kim-jong-un"].entity
    assert isinstance(kim, Actor)
    assert kim.sources[0].source == "2023-news-article"
    assert kim.sources[0].locator == "para 1"
    assert kim.native_name is not None and kim.native_name.lang == "ko"
    north_korea = result.records["north-korea"].entity
    assert [(a.name, a.lang) for a in north_korea.aliases] == [
        ("DPRK", None),
        ("조선민주주의인민공화국", "ko"),
    ]
    sanction = result.records["un-arms-embargo"].entity
    assert isinstance(sanction, Sanction)
    assert sanction.legal_basis == ["UN Security Council resolution 1718"]  # text -> list


def test_a_file_with_errors_is_left_out_and_the_others_kept(tmp_path: Path) -> None:
    result = check(tmp_path, {"actors/good.yaml": ACTOR, "actors/bad.yaml": ACTOR.replace("person", "robot")})
    assert list(result.records) == ["good"]
    assert len(result.diagnostics) == 1
    assert result.all_ids == {"good": "actors", "bad": "actors"}


def test_missing_required_field(tmp_path: Path) -> None:
    assert errors(tmp_path, "name: X\nsummary: s\n") == [
        (1, 1, "sources", "required field 'sources' is missing"),
        (1, 1, "type", "required field 'type' is missing"),
    ]


def test_missing_nested_field_points_at_its_mapping(tmp_path: Path) -> None:
    assert only(tmp_path, ACTOR + "native_name:\n  name: 김정은\n") == (
        5,
        1,
        "native_name.lang",
        "required field 'lang' is missing",
    )


@pytest.mark.parametrize(
    ("line", "pos"), [("name:", (1, 6)), ('name: ""', (1, 7)), ("name: '  '", (1, 7)), ("name: ~", (1, 7))]
)
def test_empty_required_field(tmp_path: Path, line: str, pos: tuple[int, int]) -> None:
    assert only(tmp_path, ACTOR.replace("name: Kim Jong Un", line)) == (
        *pos,
        "name",
        "is empty; expected text",
    )


def test_unknown_field_with_did_you_mean(tmp_path: Path) -> None:
    # one mistake, one message: "participants is missing" would only repeat it
    text = MEETING.replace("participants", "partcipants")
    assert errors(tmp_path, text, "meetings") == [
        (4, 1, "partcipants", "unknown field 'partcipants' (did you mean 'participants'?)"),
    ]


def test_a_near_miss_of_an_optional_field_or_of_a_present_one_is_reported_alone(tmp_path: Path) -> None:
    text = MEETING + "partcipants: [russia]\nnaem: x\n"
    assert errors(tmp_path, text, "meetings") == [
        (6, 1, "partcipants", "unknown field 'partcipants' (did you mean 'participants'?)"),
        (7, 1, "naem", "unknown field 'naem' (did you mean 'name'?)"),
    ]


def test_missing_field_is_still_reported_beside_an_unrelated_unknown_one(tmp_path: Path) -> None:
    text = MEETING.replace("participants: [kim-jong-un]\n", "colour: red\n")
    assert [e[2] for e in errors(tmp_path, text, "meetings")] == ["participants", "colour"]


def test_unknown_field_without_a_near_miss_lists_the_allowed_ones(tmp_path: Path) -> None:
    line, column, field, message = only(tmp_path, ACTOR + "colour: red\n")
    assert (line, column, field) == (5, 1, "colour")
    assert message == (
        "unknown field 'colour'; allowed: id, name, body, aliases, tags, claims, reviewed, "
        "reviewed_text, notes, summary, sources, type, country, roles, native_name"
    )


def test_unknown_nested_field(tmp_path: Path) -> None:
    text = ACTOR + "claims:\n  - id: c\n    text: t\n    by: kim\n    source: article\n    dispute: []\n"
    assert only(tmp_path, text) == (
        10,
        5,
        "claims[0].dispute",
        "unknown field 'dispute' (did you mean 'disputes'?)",
    )


def test_unquoted_date(tmp_path: Path) -> None:
    text = MEETING.replace("'2019-04-25'", "2019-04-25")
    assert only(tmp_path, text, "meetings") == (
        3,
        7,
        "date",
        'unquoted date: write it in quotes, "2019-04-25"',
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1718", 'expected text, got the number 1718: put it in quotes, "1718"'),
        ("3.5", 'expected text, got the number 3.5: put it in quotes, "3.5"'),
        ("0x1F", 'expected text, got the number 31: put it in quotes, "0x1F"'),
        ("yes", 'expected text, got true (a yes/no value): put it in quotes, "yes"'),
        ("No", 'expected text, got false (a yes/no value): put it in quotes, "No"'),
    ],
)
def test_unquoted_number_or_yes_no_where_text_is_expected(tmp_path: Path, value: str, message: str) -> None:
    text = ACTOR.replace("sources: [article]", f"sources:\n  - {{source: article, locator: {value}}}")
    assert only(tmp_path, text) == (5, 32, "sources[0].locator", message)


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("name: Kim Jong Un", "name: [Kim, Jong]"), (1, 7, "name", "expected text, got a list")),
        (("name: Kim Jong Un", "name: {first: Kim}"), (1, 7, "name", "expected text, got a mapping")),
        (
            ("sources: [article]", "sources: article"),
            (4, 10, "sources", "expected a list (one '- item' per line), got 'article'"),
        ),
        (
            ("sources: [article]", "sources: [article]\nnative_name: 김정은"),
            (5, 14, "native_name", "expected a mapping of fields, got '김정은'"),
        ),
        (
            ("sources: [article]", "sources: [article]\nroles: [12]"),
            (5, 9, "roles[0]", "expected a mapping of fields, got the number 12"),
        ),
    ],
)
def test_wrong_type(tmp_path: Path, replace: tuple[str, str], expected: tuple[int, int, str, str]) -> None:
    assert only(tmp_path, ACTOR.replace(*replace)) == expected


def test_choice_field(tmp_path: Path) -> None:
    assert only(tmp_path, ACTOR.replace("type: person", "type: persn")) == (
        3,
        7,
        "type",
        "expected one of 'person', 'organisation', 'state', 'agency', 'armed-group', 'media' or "
        "'intergovernmental', got 'persn'",
    )


def test_list_needing_an_item(tmp_path: Path) -> None:
    assert only(tmp_path, ACTOR.replace("[article]", "[]")) == (4, 10, "sources", "needs at least one item")


def test_invalid_edtf_date(tmp_path: Path) -> None:
    text = MEETING.replace("'2019-04-25'", "'2019-13'")
    assert only(tmp_path, text, "meetings") == (3, 7, "date", "'2019-13': month 13 does not exist")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/a", "https:///path", "example.org"]
)
def test_urls_must_be_web_addresses(tmp_path: Path, url: str) -> None:
    assert only(tmp_path, f"name: Article\nurl: '{url}'\n", "sources") == (
        2,
        6,
        "url",
        f"'{url}' is not a web address: expected an http:// or https:// URL",
    )


@pytest.mark.parametrize("tag", ["korean", "ko_KR", "k", "ko-"])
def test_bad_language_tag(tmp_path: Path, tag: str) -> None:
    text = ACTOR + f"aliases:\n  - {{name: 김정은, lang: '{tag}'}}\n"
    assert only(tmp_path, text) == (
        6,
        23,
        "aliases[0].lang",
        f"'{tag}' is not a BCP 47 language tag: expected e.g. ru, ko, ko-Hani",
    )


@pytest.mark.parametrize("tag", ["ko", "ko-Hani", "ru", "zh-Hant-TW", "fil"])
def test_good_language_tags(tmp_path: Path, tag: str) -> None:
    result = check(tmp_path, {"actors/x.yaml": ACTOR + f"aliases:\n  - {{name: a, lang: {tag}}}\n"})
    assert result.diagnostics == []


def test_references_must_look_like_ids(tmp_path: Path) -> None:
    text = MEETING.replace("[kim-jong-un]", "[Kim Jong Un]")
    assert only(tmp_path, text, "meetings") == (
        4,
        16,
        "participants[0]",
        "'Kim Jong Un' is not an id: expected lowercase ASCII letters, digits and single hyphens",
    )


def test_claim_references_need_an_entity_and_a_claim(tmp_path: Path) -> None:
    text = ACTOR + "claims:\n  - {id: c, text: t, by: kim, source: article, disputes: [other]}\n"
    assert only(tmp_path, text) == (
        6,
        59,
        "claims[0].disputes[0]",
        "'other' is not a claim reference: expected <entity-id>#<claim-id>",
    )


@pytest.mark.parametrize("who", ["", "attribution: ''", "attribution: '  '"])
def test_claim_needs_by_or_attribution(tmp_path: Path, who: str) -> None:
    text = ACTOR + f"claims:\n  - id: c\n    text: t\n    source: article\n    {who}\n"
    assert only(tmp_path, text) == (
        6,
        5,
        "claims[0]",
        "a claim needs 'by' (an actor id) or 'attribution' (who said it)",
    )


def test_claim_ids_are_unique_within_a_file(tmp_path: Path) -> None:
    claim = "  - {id: c, text: t, by: kim, source: article}\n"
    assert only(tmp_path, ACTOR + "claims:\n" + claim + claim) == (
        7,
        10,
        "claims[1].id",
        "claim id 'c' is already used by claims[0] in this file",
    )


def test_id_field_must_equal_the_file_name(tmp_path: Path) -> None:
    assert only(tmp_path, "id: y\n" + ACTOR) == (
        1,
        5,
        "id",
        "id 'y' differs from the file name 'x'; the id is the file name (remove the field or rename the file)",
    )


def test_id_field_equal_to_the_file_name_is_fine(tmp_path: Path) -> None:
    assert check(tmp_path, {"actors/x.yaml": "id: x\n" + ACTOR}).diagnostics == []


def test_transfer_only_fields_on_another_event(tmp_path: Path) -> None:
    text = (
        "name: Statement\nsummary: s\ntype: statement\ndate: '2023'\nsources: [article]\n"
        "supplier: north-korea\nitems: [shells]\n"
    )
    assert errors(tmp_path, text, "events") == [
        (6, 1, "supplier", "only events of type 'transfer' have 'supplier' (this one is 'statement')"),
        (7, 1, "items", "only events of type 'transfer' have 'items' (this one is 'statement')"),
    ]


def test_transfer_fields_on_a_transfer(tmp_path: Path) -> None:
    text = (
        "name: Shells\nsummary: s\ntype: transfer\ndate: '2023'\nsources: [article]\n"
        "supplier: north-korea\nrecipient: russia\nitems: [shells]\nstatus: alleged\n"
    )
    assert check(tmp_path, {"events/x.yaml": text}).diagnostics == []


def test_sources_need_no_summary_and_no_sources(tmp_path: Path) -> None:
    assert check(tmp_path, {"sources/x.yaml": "name: Article\n"}).diagnostics == []
    assert only(tmp_path, "name: Article\nsources: [y]\n", "sources")[2:] == (
        "sources",
        "unknown field 'sources'; allowed: id, name, body, aliases, tags, claims, reviewed, reviewed_text, "
        "notes, summary, publisher, published, published_text, url, retrieved, retrieved_text, reliability",
    )


def test_errors_of_one_file_are_all_reported(tmp_path: Path) -> None:
    text = "name: 12\nsummary: [a]\ntype: robot\nsources: []\nreviewed: '2019-13'\n"
    found = errors(tmp_path, text)
    assert [f[2] for f in found] == ["name", "summary", "type", "sources", "reviewed"]
    assert [f[0] for f in found] == [1, 2, 3, 4, 5]


def test_diagnostic_string_form() -> None:
    d = Diagnostic("content/meetings/x.yaml", 12, 5, "participants[1]", "unknown actor 'kim-jon-un'")
    assert str(d) == "content/meetings/x.yaml:12:5: participants[1]: unknown actor 'kim-jon-un'"
    assert str(Diagnostic("a.yaml", 1, 1, "", "empty")) == "a.yaml:1:1: empty"


def test_shorthand_lists_say_what_a_bare_item_may_be(tmp_path: Path) -> None:
    text = "name: A\nsummary: x\ntype: state\naliases: [12, {name: B}]\nsources: [1718]\n"
    assert errors(tmp_path, text) == [
        (
            4,
            11,
            "aliases[0]",
            'expected a name or {name, lang, note}, got the number 12: put it in quotes, "12"',
        ),
        (
            5,
            11,
            "sources[0]",
            'expected a source id or {source, locator, note}, got the number 1718: put it in quotes, "1718"',
        ),
    ]
