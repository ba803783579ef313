"""Stage 3, link: references resolved, backlinks derived, disputes symmetric, timeline order."""

from __future__ import annotations

from pathlib import Path

import pytest
from trees import VALID_TREE, Tree, write_tree

from generator.build import load_graph
from generator.errors import ContentError
from generator.link import Graph

MEETING_1 = "meetings/2019-04-25-vladivostok-summit.yaml"
MEETING_2 = "meetings/2023-09-putin-kim-meeting.yaml"
KIM = "actors/kim-jong-un.yaml"
EVENT = "events/2023-arms-talks-statement.yaml"
SANCTION = "sanctions/un-arms-embargo.yaml"


def graph(tmp_path: Path, tree: Tree = VALID_TREE) -> Graph:
    return load_graph(write_tree(tmp_path, tree))


def changed(path: str, old: str, new: str, **more: str) -> Tree:
    tree = dict(VALID_TREE)
    text = tree[path]
    assert isinstance(text, str) and old in text
    tree[path] = text.replace(old, new)
    tree.update(more)
    return tree


def link_errors(tmp_path: Path, tree: Tree) -> list[tuple[str, int, int, str, str]]:
    with pytest.raises(ContentError) as info:
        graph(tmp_path, tree)
    return [
        (Path(d.path).relative_to(tmp_path).as_posix(), d.line, d.column, d.field, d.message)
        for d in info.value.diagnostics
    ]


# ---------------------------------------------------------------- a valid tree


def test_counts_and_kinds(tmp_path: Path) -> None:
    g = graph(tmp_path)
    assert g.counts() == {"actors": 4, "meetings": 2, "sanctions": 1, "events": 1, "sources": 2}
    assert g.kind("russia") == "actors"
    assert g.entity("russia").name == "Russia"


def test_an_actor_knows_its_meetings_sanctions_and_events(tmp_path: Path) -> None:
    g = graph(tmp_path)
    assert g.related("kim-jong-un", "meetings") == [
        "2019-04-25-vladivostok-summit",
        "2023-09-putin-kim-meeting",
    ]
    assert g.related("russia", "hosted") == ["2019-04-25-vladivostok-summit"]
    assert g.related("russia", "venue_of") == ["2019-04-25-vladivostok-summit"]
    assert g.related("russia", "sanctions_imposed") == ["un-arms-embargo"]
    assert g.related("north-korea", "sanctions_on") == ["un-arms-embargo"]
    assert g.related("north-korea", "sanctions_imposed") == []
    assert g.related("north-korea", "events") == ["2023-arms-talks-statement"]
    assert g.related("north-korea", "nationals") == ["kim-jong-un"]
    assert g.related("north-korea", "members") == ["kim-jong-un"]
    assert g.related("associated-press", "published") == ["2023-news-article"]


def test_claims_by_and_about_an_actor(tmp_path: Path) -> None:
    g = graph(tmp_path)
    assert g.claims_by == {"north-korea": ["kim-jong-un#no-arms-sales"]}
    # about: claims in its own file and claims elsewhere that name it; dated claims first
    assert g.claims_about["kim-jong-un"] == [
        "kim-jong-un#no-arms-sales",
        "2023-arms-talks-statement#talks-advancing",
    ]
    assert g.claims_about["russia"] == ["2023-arms-talks-statement#talks-advancing"]
    assert "north-korea" not in g.claims_about
    assert g.claims["kim-jong-un#no-arms-sales"].entity_id == "kim-jong-un"
    assert g.claims["kim-jong-un#no-arms-sales"].claim.stance == "denies"


def test_disputes_are_symmetric(tmp_path: Path) -> None:
    g = graph(tmp_path)
    assert g.disputes == {
        "kim-jong-un#no-arms-sales": ["2023-arms-talks-statement#talks-advancing"],
        "2023-arms-talks-statement#talks-advancing": ["kim-jong-un#no-arms-sales"],
    }


def test_a_dispute_declared_on_one_side_only_shows_on_both(tmp_path: Path) -> None:
    tree = changed(KIM, '    disputes: ["2023-arms-talks-statement#talks-advancing"]\n', "")
    g = graph(tmp_path, tree)
    assert g.disputes["kim-jong-un#no-arms-sales"] == ["2023-arms-talks-statement#talks-advancing"]
    assert g.disputes["2023-arms-talks-statement#talks-advancing"] == ["kim-jong-un#no-arms-sales"]


def test_follows_and_its_reverse(tmp_path: Path) -> None:
    g = graph(tmp_path)
    assert g.related("2019-04-25-vladivostok-summit", "followed_by") == ["2023-09-putin-kim-meeting"]
    assert g.related("2023-09-putin-kim-meeting", "followed_by") == []


def test_sources_know_who_cites_them(tmp_path: Path) -> None:
    g = graph(tmp_path)
    assert g.related("un-resolution-1718", "cited_by") == ["un-arms-embargo"]
    assert ("kim-jong-un", "para 1") in g.citations["2023-news-article"]


def test_timeline_order_is_earliest_moment_then_name(tmp_path: Path) -> None:
    tree = dict(VALID_TREE)
    base = "summary: s\nparticipants: [russia]\nsources: [2023-news-article]\n"
    tree["meetings/b-2019.yaml"] = "name: B meeting\ndate: '2019'\n" + base
    tree["meetings/a-2019.yaml"] = "name: a meeting\ndate: '2019'\n" + base  # same moment: by name
    tree["meetings/spring-2019.yaml"] = "name: Spring\ndate: '2019-21'\n" + base  # March 2019
    tree["meetings/open-start.yaml"] = "name: Open\ndate: '../2019-01'\n" + base  # earliest of all
    tree["meetings/approx.yaml"] = "name: Approx\ndate: '2019-04~'\n" + base
    g = graph(tmp_path, tree)
    expected = [
        "open-start",
        "a-2019",
        "b-2019",
        "spring-2019",
        "approx",
        "2019-04-25-vladivostok-summit",
        "2023-09-putin-kim-meeting",
    ]
    assert g.by_kind["meetings"] == expected
    assert g.related("russia", "meetings") == expected
    assert g.by_kind["sources"] == ["un-resolution-1718", "2023-news-article"]  # by published date
    assert g.by_kind["actors"] == [
        "associated-press",
        "kim-jong-un",
        "north-korea",
        "russia",
    ]  # undated: name


# ---------------------------------------------------------------- errors


def test_dangling_reference_with_did_you_mean(tmp_path: Path) -> None:
    tree = changed(MEETING_1, "[kim-jong-un, russia]", "[kim-jon-un, russia]")
    assert link_errors(tmp_path, tree) == [
        (MEETING_1, 5, 16, "participants[0]", "unknown actor 'kim-jon-un' (did you mean 'kim-jong-un'?)")
    ]


def test_dangling_reference_without_a_near_miss(tmp_path: Path) -> None:
    tree = changed(SANCTION, "targets: [north-korea]", "targets: [north-korea, iran]")
    assert link_errors(tmp_path, tree) == [(SANCTION, 4, 24, "targets[1]", "unknown actor 'iran'")]


def test_did_you_mean_only_offers_ids_of_the_right_kind(tmp_path: Path) -> None:
    # '2023-news-articles' is close to a source, but participants are actors
    tree = changed(MEETING_1, "[kim-jong-un, russia]", "[2023-news-articles, russia]")
    assert link_errors(tmp_path, tree)[0][4] == "unknown actor '2023-news-articles'"


def test_reference_to_the_wrong_kind(tmp_path: Path) -> None:
    tree = changed(MEETING_1, "[kim-jong-un, russia]", "[un-arms-embargo, russia]")
    assert link_errors(tmp_path, tree) == [
        (
            MEETING_1,
            5,
            16,
            "participants[0]",
            "'un-arms-embargo' is in sanctions/, expected an id from actors/",
        )
    ]


def test_dangling_source_citation(tmp_path: Path) -> None:
    tree = changed(MEETING_1, "sources: [2023-news-article]", "sources: [2023-news-articel]")
    assert link_errors(tmp_path, tree) == [
        (
            MEETING_1,
            8,
            11,
            "sources[0].source",
            "unknown source '2023-news-articel' (did you mean '2023-news-article'?)",
        )
    ]


def test_claim_reference_to_an_unknown_entity(tmp_path: Path) -> None:
    tree = changed(EVENT, "kim-jong-un#no-arms-sales", "kim-jong-uno#no-arms-sales")
    assert link_errors(tmp_path, tree) == [
        (EVENT, 14, 16, "claims[0].disputes[0]", "unknown entry 'kim-jong-uno' (did you mean 'kim-jong-un'?)")
    ]


def test_claim_reference_to_an_unknown_claim(tmp_path: Path) -> None:
    tree = changed(EVENT, "kim-jong-un#no-arms-sales", "kim-jong-un#no-arms-sale")
    assert link_errors(tmp_path, tree) == [
        (
            EVENT,
            14,
            16,
            "claims[0].disputes[0]",
            "'kim-jong-un' has no claim 'no-arms-sale' (did you mean 'no-arms-sales'?)",
        )
    ]


def test_a_claim_cannot_dispute_itself(tmp_path: Path) -> None:
    tree = changed(EVENT, "kim-jong-un#no-arms-sales", "2023-arms-talks-statement#talks-advancing")
    assert link_errors(tmp_path, tree)[-1][3:] == ("claims[0].disputes[0]", "a claim cannot dispute itself")


def test_follows_cycle_of_two(tmp_path: Path) -> None:
    tree = changed(MEETING_1, "status: occurred", "status: occurred\nfollows: [2023-09-putin-kim-meeting]")
    assert link_errors(tmp_path, tree) == [
        (
            MEETING_2,
            7,
            11,
            "follows[0]",
            "'follows' forms a cycle: 2019-04-25-vladivostok-summit -> 2023-09-putin-kim-meeting"
            " -> 2019-04-25-vladivostok-summit",
        )
    ]


def test_follows_itself(tmp_path: Path) -> None:
    tree = changed(
        MEETING_2, "follows: [2019-04-25-vladivostok-summit]", "follows: [2023-09-putin-kim-meeting]"
    )
    ((path, line, column, field, message),) = link_errors(tmp_path, tree)
    assert (path, line, column, field) == (MEETING_2, 7, 11, "follows[0]")
    assert message == "'follows' forms a cycle: 2023-09-putin-kim-meeting -> 2023-09-putin-kim-meeting"


def test_a_longer_cycle_is_reported_once(tmp_path: Path) -> None:
    base = "summary: s\ndate: '2020'\nparticipants: [russia]\nsources: [2023-news-article]\n"
    tree = dict(VALID_TREE)
    tree["meetings/a.yaml"] = "name: A\nfollows: [b]\n" + base
    tree["meetings/b.yaml"] = "name: B\nfollows: [c, 2023-09-putin-kim-meeting]\n" + base
    tree["meetings/c.yaml"] = "name: C\nfollows: [a]\n" + base
    errors = link_errors(tmp_path, tree)
    assert len(errors) == 1
    assert errors[0][4] == "'follows' forms a cycle: a -> b -> c -> a"


def test_a_meeting_may_follow_several_without_a_cycle(tmp_path: Path) -> None:
    base = "summary: s\ndate: '2024'\nparticipants: [russia]\nsources: [2023-news-article]\n"
    tree = dict(VALID_TREE)
    tree["meetings/c.yaml"] = (
        "name: C\nfollows: [2023-09-putin-kim-meeting, 2019-04-25-vladivostok-summit]\n" + base
    )
    g = graph(tmp_path, tree)
    assert g.related("2019-04-25-vladivostok-summit", "followed_by") == ["2023-09-putin-kim-meeting", "c"]


def test_country_must_be_a_state(tmp_path: Path) -> None:
    tree = changed(KIM, "country: north-korea", "country: associated-press")
    assert link_errors(tmp_path, tree) == [
        (
            KIM,
            4,
            10,
            "country",
            "'associated-press' is an actor of type 'media'; a country must be of type 'state'",
        )
    ]


def test_place_country_must_be_a_state(tmp_path: Path) -> None:
    tree = changed(MEETING_1, "country: russia", "country: kim-jong-un")
    assert link_errors(tmp_path, tree) == [
        (
            MEETING_1,
            4,
            37,
            "place.country",
            "'kim-jong-un' is an actor of type 'person'; a country must be of type 'state'",
        )
    ]


def test_role_of_may_be_any_actor(tmp_path: Path) -> None:
    tree = changed(KIM, "of: north-korea", "of: associated-press")
    assert graph(tmp_path, tree).related("associated-press", "members") == ["kim-jong-un"]


def test_references_into_a_file_with_errors_are_not_reported_twice(tmp_path: Path) -> None:
    # kim-jong-un has an error of its own; everything that points at it is not "dangling"
    tree = changed(KIM, "type: person", "type: robot")
    errors = link_errors(tmp_path, tree)
    assert [e[0] for e in errors] == [KIM]
    assert errors[0][3] == "type"


def test_all_problems_of_all_stages_come_together_sorted(tmp_path: Path) -> None:
    tree = changed(MEETING_1, "[kim-jong-un, russia]", "[kim-jon-un, russia]")
    tree["actors/bad.yaml"] = "- not a mapping\n"
    tree["people/x.yaml"] = "name: x\n"
    tree[SANCTION] = str(tree[SANCTION]).replace("status: in-force", "status: active")
    errors = link_errors(tmp_path, tree)
    assert [(e[0], e[1]) for e in errors] == [
        ("actors/bad.yaml", 1),
        (MEETING_1, 5),
        ("people/x.yaml", 1),
        (SANCTION, 8),
    ]


@pytest.mark.parametrize(
    ("summary", "where", "message"),
    [
        (
            "'See [the summit](2019-04-25-vladivostok-sumit).'",
            "2:28",
            "summary: link to unknown entry '2019-04-25-vladivostok-sumit' (did you mean '2019-04-25-vladivostok-summit'?)",
        ),
        (
            "'See [the denial](kim-jong-un#no-arm-sales).'",
            "2:28",
            "summary: 'kim-jong-un' has no claim 'no-arm-sales' (did you mean 'no-arms-sales'?)",
        ),
        (
            "'See [x](javascript:alert(1)).'",
            "2:19",
            "summary: link to 'javascript:alert(1)': only http, https and mailto addresses, or entry ids",
        ),
        (
            "'See [x](../meetings/other.md).'",
            "2:19",
            "summary: link to '../meetings/other.md': link to a web address (https://...) or to an entry by its id",
        ),
        (
            "'A map: ![map](https://tiles.example.org/a.png)'",
            "2:25",
            "summary: images in text fields are not supported",
        ),
    ],
)
def test_links_in_text_fields_are_checked_and_located(
    tmp_path: Path, summary: str, where: str, message: str
) -> None:
    tree = changed("actors/russia.yaml", "summary: The Russian Federation.", f"summary: {summary}")
    with pytest.raises(ContentError) as info:
        graph(tmp_path, tree)
    assert str(info.value.diagnostics[0]).startswith(f"{tmp_path}/actors/russia.yaml:{where}: {message}")


def test_links_in_code_and_to_the_web_are_fine_and_entry_links_make_backlinks(tmp_path: Path) -> None:
    tree = changed(
        "actors/russia.yaml",
        "summary: The Russian Federation.",
        "summary: 'Hosted [Kim](kim-jong-un); see [UN](https://un.org) and `[x](javascript:y)`.'",
    )
    g = graph(tmp_path, tree)
    assert g.related("kim-jong-un", "mentioned_in") == ["russia"]
    assert graph(tmp_path / "plain").related("kim-jong-un", "mentioned_in") == []


def test_text_or_id_fields_treat_hyphenated_words_and_known_ids_as_references(tmp_path: Path) -> None:
    basis = "legal_basis: UN Security Council resolution 1718"
    # a plain word that is no id is text
    g = graph(tmp_path / "a", changed(SANCTION, basis, "legal_basis: [embargo, 'false']"))
    assert g.entity("un-arms-embargo").legal_basis == ["embargo", "false"]  # type: ignore[attr-defined]
    # a hyphenated word must resolve
    with pytest.raises(
        ContentError, match=r"legal_basis\[0\]: unknown sanction 'un-arms-embargoo' \(did you mean"
    ):
        graph(tmp_path / "b", changed(SANCTION, basis, "legal_basis: un-arms-embargoo"))
    # a known id of another kind is a wrong reference, not text
    with pytest.raises(
        ContentError, match=r"legal_basis\[0\]: 'russia' is in actors/, expected an id from sanctions/"
    ):
        graph(tmp_path / "c", changed(SANCTION, basis, "legal_basis: [russia]"))
