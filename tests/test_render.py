"""Render stage: pages, derived relations, dates at their precision, escaping, overrides."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from trees import VALID_TREE, write_tree

from generator.build import build, load_graph
from generator.config import Config
from generator.errors import ConfigError
from generator.markup import markdown_html, markdown_text, plain
from generator.render import render


def _pages(tmp_path: Path, tree: dict[str, str | bytes] | None = None, **options: object) -> dict[str, str]:
    content = write_tree(tmp_path / "content", tree or VALID_TREE)
    config = Config(content_dir=content, **options)  # type: ignore[arg-type]
    return {p.path: p.text for p in build(config).pages}


def test_one_page_per_entity_plus_indexes_home_and_timeline(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", VALID_TREE)
    pages = {p.path for p in render(load_graph(content), Config(content_dir=content))}
    entities = {f"{k.split('/')[0]}/{Path(k).stem}.md" for k in VALID_TREE}
    indexes = {f"{k}/index.md" for k in ("actors", "meetings", "sanctions", "events", "sources")}
    assert pages == entities | indexes | {"index.md", "timeline.md"}  # no tag anywhere: no tags page


def test_actor_page_lists_meetings_in_date_order_with_relative_links(tmp_path: Path) -> None:
    page = _pages(tmp_path)["actors/kim-jong-un.md"]
    timeline = page.index("## Timeline")
    first = page.index("[Vladivostok summit](../meetings/2019-04-25-vladivostok-summit.md)")
    second = page.index("[Planned Putin–Kim meeting](../meetings/2023-09-putin-kim-meeting.md)")
    assert timeline < first < second
    assert "- **Type:** Person\n- **Country:** [North Korea](north-korea.md)\n" in page  # one tight list
    assert "- **Role:** Supreme Leader, [North Korea](north-korea.md) — since December\u00a02011\n" in page
    assert '<span lang="ko">김정은</span> <small>(Korean)</small>' in page


def test_reverse_relations_are_derived(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    north_korea = pages["actors/north-korea.md"]
    embargo = "[UN arms embargo on North Korea](../sanctions/un-arms-embargo.md)"
    assert re.search(re.escape(embargo) + r".*\(target\)", north_korea)  # in its timeline, as the target
    russia = pages["actors/russia.md"]
    assert re.search(re.escape(embargo) + r".*\(imposed\)", russia)
    summit = pages["meetings/2019-04-25-vladivostok-summit.md"]
    assert "**Followed by:** [Planned Putin–Kim meeting](2023-09-putin-kim-meeting.md)" in summit
    source = pages["sources/2023-news-article.md"]
    assert "## Where this source is cited" in source
    assert (
        '- **[Kim Jong Un](../actors/kim-jong-un.md)** <span class="fs-kind">Actor</span>: para 1\n' in source
    )
    # a claim's `by` puts it among the claims by that actor
    assert "## Claims by North Korea" in north_korea


def test_disputing_claims_are_shown_beside_each_other_on_both_pages(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    kim = pages["actors/kim-jong-un.md"]
    event = pages["events/2023-arms-talks-statement.md"]
    assert 'id="claim-no-arms-sales"' in kim
    assert 'id="claim-talks-advancing"' in event
    assert "Arms negotiations are actively advancing." in kim
    assert "North Korea will not sell arms to Russia." in event
    assert "../actors/kim-jong-un.md#claim-no-arms-sales" in event


def test_dates_keep_their_precision_and_the_source_words(tmp_path: Path) -> None:
    page = _pages(tmp_path)["meetings/2023-09-putin-kim-meeting.md"]
    assert "**Date:** c.\u00a0September\u00a02023 (“later this month”)" in page
    assert "1\u00a0September" not in page  # never a day the source did not give


def test_a_place_that_is_the_country_is_named_once(tmp_path: Path) -> None:
    tree = dict(VALID_TREE)
    tree["meetings/2019-04-25-vladivostok-summit.yaml"] = str(
        tree["meetings/2019-04-25-vladivostok-summit.yaml"]
    ).replace("place: {name: Vladivostok, country: russia}", "place: {name: Russia, country: russia}")
    pages = _pages(tmp_path, tree)
    assert (
        "- **Place:** [Russia](../actors/russia.md)\n" in pages["meetings/2019-04-25-vladivostok-summit.md"]
    )
    assert "- **Place:** Vladivostok" not in pages["meetings/2019-04-25-vladivostok-summit.md"]


def test_planned_and_occurred_meetings_look_different(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    assert 'fs-status--planned">Planned<' in pages["meetings/2023-09-putin-kim-meeting.md"]
    assert 'fs-status--occurred">Occurred<' in pages["meetings/2019-04-25-vladivostok-summit.md"]


def test_home_page_shows_upcoming_latest_and_counts(tmp_path: Path) -> None:
    home = _pages(tmp_path)["index.md"]
    upcoming = home.index("## Upcoming")
    latest = home.index("## Latest")
    assert upcoming < home.index("Planned Putin–Kim meeting") < latest
    assert "**4** actors" in home and "**2** meetings" in home


def test_timeline_is_in_order_of_earliest_moment(tmp_path: Path) -> None:
    timeline = _pages(tmp_path)["timeline.md"]
    order = [
        timeline.index("UN arms embargo"),
        timeline.index("Vladivostok summit"),
        timeline.index("Planned Putin–Kim meeting"),
        timeline.index("US statement on arms talks"),
    ]
    assert order == sorted(order)


def test_raw_html_is_escaped_unless_allowed(tmp_path: Path) -> None:
    tree = dict(VALID_TREE)
    tree["actors/russia.yaml"] = str(tree["actors/russia.yaml"]).replace(
        "summary: The Russian Federation.",
        "summary: 'The <script>alert(1)</script> state.'",
    )
    escaped = _pages(tmp_path / "a", tree)["actors/russia.md"]
    assert (
        "<script>" not in escaped
        and "The &#60;script&#62;alert&#40;1&#41;&#60;/script&#62; state." in escaped
    )
    # allowed HTML still goes through the sanitizer: the script goes, with its content
    tree["actors/russia.yaml"] = str(tree["actors/russia.yaml"]).replace("<script>", "<b>x</b><script>")
    allowed = _pages(tmp_path / "b", tree, allow_html=True)["actors/russia.md"]
    assert "The <b>x</b> state." in allowed and "script" not in allowed


def test_names_cannot_inject_markdown(tmp_path: Path) -> None:
    tree = dict(VALID_TREE)
    tree["actors/associated-press.yaml"] = str(tree["actors/associated-press.yaml"]).replace(
        "name: Associated Press", "name: 'AP [wire] | *news* <b>'"
    )
    page = _pages(tmp_path, tree)["actors/associated-press.md"]
    assert "# AP &#91;wire&#93; &#124; &#42;news&#42; &#60;b&#62;\n" in page


def _no_entries(entity_id: str, claim_id: str | None) -> str | None:
    return None


def test_markdown_helpers() -> None:
    assert markdown_text("a `<b>` <i>", _no_entries) == "a <code>&#60;b&#62;</code> &#60;i&#62;"
    assert markdown_text("[x](data:text/html,hi) [y](https://ok.org)", _no_entries) == "x [y](https://ok.org)"
    assert markdown_text("![pic](https://host/p.png)", _no_entries) == ""  # images never reach the page
    assert markdown_text("`[x](javascript:y)`", _no_entries) == (
        "<code>&#91;x&#93;&#40;javascript&#58;y&#41;</code>"  # code stays code
    )
    assert markdown_text("[r][d]\n\n[d]: javascript:evil", _no_entries) == "r"
    fenced = "```\n[r]: javascript:shown-as-code\n```"
    assert markdown_text(fenced, _no_entries) == (  # a definition in code stays code
        "<pre><code>&#91;r&#93;&#58; javascript&#58;shown-as-code</code></pre>"
    )
    assert markdown_text("- a\n- *b*\n\n> q", _no_entries) == "- a\n- <em>b</em>\n\n> q"
    assert plain("  two\n lines ") == "two lines"


def test_links_to_entries_in_text_become_page_links(tmp_path: Path) -> None:
    tree = dict(VALID_TREE)
    tree["actors/russia.yaml"] = str(tree["actors/russia.yaml"]).replace(
        "summary: The Russian Federation.",
        "summary: 'Host of the [2019 summit](2019-04-25-vladivostok-summit); see [the denial](kim-jong-un#no-arms-sales).'",
    )
    pages = _pages(tmp_path, tree)
    page = pages["actors/russia.md"]
    assert "[2019 summit](../meetings/2019-04-25-vladivostok-summit.md)" in page
    assert "[the denial](kim-jong-un.md#claim-no-arms-sales)" in page
    mentioned = pages["meetings/2019-04-25-vladivostok-summit.md"]
    assert "## Mentioned in\n\n[Russia](../actors/russia.md)" in mentioned


def test_project_templates_override_builtin_ones_file_by_file(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "source.md.j2").write_text("# Custom {{ v.text(e.name) }}\n", encoding="utf-8")
    pages = _pages(tmp_path, templates_dir=templates)
    assert pages["sources/2023-news-article.md"] == "# Custom Putin and Kim plan Russia meeting\n"
    assert pages["actors/kim-jong-un.md"].startswith('# Kim Jong Un\n\n<p class="fs-pagemeta"')  # built in


def test_undefined_template_values_are_errors_not_blanks(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "source.md.j2").write_text("{{ e.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"source\.md\.j2:1: template error .*has no attribute 'no_such_field'"
    ):
        _pages(tmp_path, templates_dir=templates)


def test_a_misspelt_relation_in_a_template_is_a_located_error(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "source.md.j2").write_text(
        '# {{ e.name }}\n\n{{ v.links(v.related(id, "cited_by")) }}\n{{ v.related(id, "citedby") }}\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"source\.md\.j2:4: template error .*unknown relation 'citedby'"):
        _pages(tmp_path, templates_dir=templates)


def test_a_new_actor_type_gets_its_own_group_in_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a type to the model is the only change needed for it to show up in the actors index."""
    from generator import render

    titles = {k: v for k, v in render.ACTOR_TYPE_TITLES.items() if k != "media"}
    monkeypatch.setattr(render, "ACTOR_TYPE_TITLES", titles)  # as if "media" were new
    index = _pages(tmp_path)["actors/index.md"]
    assert "## Media\n\n| Name | Summary |\n|---|---|\n| [Associated Press](associated-press.md) |" in index


def test_templates_cannot_print_content_unescaped(tmp_path: Path) -> None:
    """Whatever a template override does with a content value, it comes out as plain text."""
    tree = dict(VALID_TREE)
    tree["actors/russia.yaml"] = str(tree["actors/russia.yaml"]).replace(
        "name: Russia", "name: '<img src=x onerror=alert(1)> [x](javascript:alert(2))'"
    )
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "actor.md.j2").write_text(
        "{{ e.name }}|{{ e.name ~ '<b>' }}|{{ [e.name, e.summary] | join(' ') }}|{{ e.name | upper }}|"
        "{{ v.entity(id).aliases }}|{% for a in e.roles %}{{ a.title }}{% endfor %}\n",
        encoding="utf-8",
    )
    page = _pages(tmp_path, tree, templates_dir=templates)["actors/russia.md"]
    assert "<img" not in page and "<IMG" not in page and "](" not in page
    assert page.startswith("&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62; &#91;x&#93;")


def test_one_quote_style_curators_straight_quotes_become_typographic() -> None:
    """Pages print a source's words as “...”; curators type "...": both read the same."""
    assert plain('Kirby said "actively advancing", then "no".') == (
        "Kirby said “actively advancing”, then “no”."
    )
    assert html.unescape(plain('"Quoted" at the start (and "in brackets")')) == (
        "“Quoted” at the start (and “in brackets”)"
    )

    def href(entity_id: str, claim: str | None) -> str | None:
        return None

    text = markdown_text('A *"stressed"* word and `"code"`.\n\n"New paragraph."', href)
    assert text == "A <em>“stressed”</em> word and <code>&#34;code&#34;</code>.\n\n“New paragraph.”"
    assert markdown_html('He said "*yes*".', href) == "<p>He said “<em>yes</em>”.</p>"


def test_relative_links_are_what_posixpath_relpath_gives() -> None:
    """``relative`` replaces ``posixpath.relpath`` (two abspath calls a link) for site paths."""
    import posixpath
    import random

    from generator.render import relative

    parts = ["actors", "maps", "pdf", "briefs", "kim-jong-un.md", "index.md", "a"]
    rng = random.Random(7)
    for _ in range(5000):
        path = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
        folder = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 3)))
        assert relative(path, folder) == posixpath.relpath(path, folder or "."), (path, folder)
