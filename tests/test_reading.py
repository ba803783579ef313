"""The reading experience, page by page (issue 10): numbered notes to sources, the briefing's
as-of date, dispute threads shown once, a timeline by year and month, key facts as an
infobox, tags, curators' notes apart, and the keywords search finds each page by."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from trees import VALID_TREE, Tree, write_tree

from generator.build import load_graph
from generator.config import Config
from generator.render import LANGUAGES, render
from generator.search import inflected, keywords, searchable

REPO = Path(__file__).resolve().parents[1]


def _pages(tmp_path: Path, tree: Tree | None = None, **options: object) -> dict[str, str]:
    content = write_tree(tmp_path / "content", tree or VALID_TREE)
    config = Config(content_dir=content, **options)  # type: ignore[arg-type]
    return {p.path: p.text for p in render(load_graph(content), config)}


def _edit(tree: Tree, path: str, old: str, new: str) -> Tree:
    edited = dict(tree)
    text = str(edited[path])
    assert old in text, old
    edited[path] = text.replace(old, new)
    return edited


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def _refs(page: str) -> list[tuple[str, str, str]]:
    """(ref id, note number, shown number) of every numbered note in the text."""
    return re.findall(
        r'<sup class="fs-ref" id="(ref-\d+-\d+)"><a href="#note-(\d+)"[^>]*>\[(\d+)\]</a></sup>', page
    )


# ------------------------------------------------------------------ 1. sources at the statement


def test_every_claim_and_the_key_facts_carry_a_numbered_note_that_links_both_ways(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    for path, page in pages.items():
        refs = _refs(page)
        ids = _ids(page)
        for ref_id, note, shown in refs:
            assert note == shown
            assert f"note-{note}" in ids, f"{path}: [{note}] links to a note that is not on the page"
            assert f'href="#{ref_id}"' in page, f"{path}: note {note} has no link back to {ref_id}"
        numbers = [int(n) for _, n, _ in refs]
        first_seen = list(dict.fromkeys(numbers))
        assert first_seen == list(range(1, len(first_seen) + 1)), (
            f"{path}: notes not numbered in reading order"
        )
        assert "Source:" not in page, f"{path}: the bare word 'Source' instead of a numbered note"
        # no token of the renderer is left behind
        assert "\x02" not in page and "\x03" not in page
    kim = pages["actors/kim-jong-un.md"]
    facts = kim[kim.index('<aside class="fs-infobox"') : kim.index("</aside>")]
    assert "- **Sources:** <sup" in facts
    claim = kim[kim.index('id="claim-no-arms-sales"') :]
    assert re.match(r'[^\n]*\n\n[^\n]*North Korea will not sell arms to Russia\.<sup class="fs-ref"', claim)


def test_a_note_reads_title_publisher_date_locator_and_one_note_serves_every_citation_of_it(
    tmp_path: Path,
) -> None:
    page = _pages(tmp_path)["actors/kim-jong-un.md"]
    notes = page[page.index('<div class="fs-notes"') :]
    assert (
        "[Putin and Kim plan Russia meeting](../sources/2023-news-article.md), "
        "[Associated Press](associated-press.md), 4\u00a0September\u00a02023?, para 1\n"
    ) in notes
    # the entry's citation (para 1) is cited twice: one note, two links back
    assert re.search(r'id="note-1">↑ <a href="#ref-1-1"[^>]*>a</a> <a href="#ref-1-2"[^>]*>b</a>', notes)
    title = re.search(r'href="#note-1" title="([^"]*)"', page)
    assert (
        title and title[1] == "Putin and Kim plan Russia meeting, Associated Press, 4 September 2023?, para 1"
    )


def test_side_by_side_notes_read_in_order_and_citation_notes_are_kept(tmp_path: Path) -> None:
    tree = _edit(
        VALID_TREE,
        "actors/russia.yaml",
        "sources: [2023-news-article]",
        "sources:\n  - {source: un-resolution-1718, locator: op 8}\n"
        "  - {source: 2023-news-article, locator: para 2, note: 'The *state* itself.'}",
    )
    page = _pages(tmp_path, tree)["actors/russia.md"]
    summary = page[page.index("The Russian Federation.") :].split("\n", 1)[0]
    assert [n for _, n, _ in _refs(summary)] == ["1", "2"]
    assert "UN Security Council resolution 1718</a>" not in page  # notes link in Markdown
    assert ", op 8\n" in page and ", para 2. The <em>state</em> itself.\n" in page


def test_the_source_page_lists_every_citation_grouped_by_entry_with_locators(tmp_path: Path) -> None:
    page = _pages(tmp_path)["sources/2023-news-article.md"]
    section = page[page.index("## Where this source is cited") :]
    entries = re.findall(r"^- \*\*\[([^\]]+)\]", section, re.M)
    # by kind as in the sidebar, then in timeline order; each entry once
    assert entries == [
        "Associated Press",
        "Kim Jong Un",
        "North Korea",
        "Russia",
        "Vladivostok summit",
        "Planned Putin–Kim meeting",
        "US statement on arms talks",
    ]
    kim = section[section.index("[Kim Jong Un]") :].split("\n- **")[0]
    assert ": para 1" in kim  # the citation's locator
    assert "North Korea will not sell arms to Russia." in kim  # the claim drawn from it, under its entry
    assert ": no locator given" in section  # a citation without a locator says so


# ------------------------------------------------------------------ 2. as of


def test_every_page_says_as_of_when_and_home_dates_upcoming_and_latest(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    for path, page in pages.items():
        assert "Briefing as of 4\u00a0September\u00a02023?" in page.split("\n\n", 3)[1], path
    home = pages["index.md"]
    assert "## Upcoming as of 4\u00a0September\u00a02023?" in home
    assert "## Latest as of 4\u00a0September\u00a02023?" in home
    upcoming = home[home.index("## Upcoming") : home.index("## Latest")]
    assert "Planned Putin–Kim meeting" in upcoming and "fs-tl--planned" in upcoming


def test_the_as_of_option_moves_upcoming_and_latest(tmp_path: Path) -> None:
    home = _pages(tmp_path, as_of="2019-01")["index.md"]
    upcoming = home[home.index("## Upcoming as of January\u00a02019") : home.index("## Latest")]
    # dated after the as-of date: upcoming, though it has happened since (and says so in its status)
    assert "Vladivostok summit" in upcoming and "US statement on arms talks" in upcoming
    latest = home[home.index("## Latest") :]
    assert "UN arms embargo" in latest and "Vladivostok summit" not in latest


def test_a_meeting_held_after_the_as_of_date_shows_the_plan_and_the_outcome_first(tmp_path: Path) -> None:
    page = _pages(tmp_path, as_of="2019-01")["meetings/2019-04-25-vladivostok-summit.md"]
    head = page[: page.index("<aside")]
    assert (
        '<span class="fs-status fs-status--occurred">Occurred</span> **Took place on 25\u00a0April\u00a02019'
        in head
    )
    assert "planned as of January\u00a02019, the briefing’s date" in head


def test_a_meeting_first_reported_as_planned_shows_the_outcome_beside_its_status(tmp_path: Path) -> None:
    tree = _edit(
        VALID_TREE,
        "meetings/2023-09-putin-kim-meeting.yaml",
        'date: "2023-09~"\ndate_text: later this month\n',
        'date: "2023-09-13"\nplace: {name: Vostochny Cosmodrome, country: russia}\n',
    )
    tree = _edit(tree, "meetings/2023-09-putin-kim-meeting.yaml", "status: planned", "status: occurred")
    tree["sources/2023-xinhua.yaml"] = 'name: They met\npublished: "2023-09-13"\n'
    tree = _edit(
        tree,
        "meetings/2023-09-putin-kim-meeting.yaml",
        "sources: [2023-news-article]",
        "sources: [2023-news-article, 2023-xinhua]",
    )
    page = _pages(tmp_path, tree)["meetings/2023-09-putin-kim-meeting.md"]
    status = page.split("\n\n")[2]  # right under the title and the page's as-of line
    assert status.startswith('<p class="fs-outcome" markdown><span class="fs-status fs-status--occurred">')
    assert "**Took place on 13\u00a0September\u00a02023 at Vostochny Cosmodrome, [Russia]" in status
    assert "first reported as planned on 4\u00a0September\u00a02023?" in status
    notes = dict((n, ref) for ref, n, _ in _refs(status))
    assert len(notes) == 2  # one note for the plan, one for the outcome


def test_the_default_briefing_shows_the_vostochny_outcome_on_the_planned_meeting() -> None:
    content = REPO / "content"
    pages = {p.path: p.text for p in render(load_graph(content), Config(content_dir=content))}
    page = pages["meetings/2023-09-putin-kim-meeting-planned.md"]
    status = page.split("\n\n")[2]
    assert "**Took place on 13\u00a0September\u00a02023 at Vostochny Cosmodrome, Amur region" in status
    assert "first reported as planned on 4–5\u00a0September\u00a02023" in status


# ------------------------------------------------------------------ 4. disputes once per page

THREE_SIDED = _edit(
    VALID_TREE,
    "actors/russia.yaml",
    "sources: [2023-news-article]",
    "sources: [2023-news-article]\nclaims:\n"
    "  - id: also-advancing\n    text: The talks are going well.\n    by: russia\n"
    "    source: 2023-news-article\n    date: '2023-09-05'\n"
    '    disputes: ["kim-jong-un#no-arms-sales"]\n    about: [kim-jong-un, north-korea]\n',
)


def test_long_sections_collapse_past_their_first_items_and_short_ones_do_not() -> None:
    content = REPO / "content"
    pages = {p.path: p.text for p in render(load_graph(content), Config(content_dir=content))}
    korea = pages["actors/north-korea.md"]
    timeline = korea.split("## Timeline", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"<summary>\d+ meetings, events and sanctions: show them all</summary>", timeline)
    assert "more disputing claims</summary>" in korea  # a long thread keeps its first two replies
    kirby = pages["actors/john-kirby.md"]
    claims = kirby.split("## Claims by John Kirby", 1)[1].split("\n## ", 1)[0]
    shown, _, hidden = claims.partition('<details class="fs-collapse" markdown>')
    assert hidden and re.search(r"<summary>\d+ more claims?</summary>", hidden)
    assert shown.count("<div") >= 3  # the first three claims stay open
    short = pages["actors/adrienne-watson.md"]
    assert "fs-collapse" not in short


@pytest.mark.parametrize("tree", [VALID_TREE, THREE_SIDED], ids=["pair", "three-sided"])
def test_each_claim_is_shown_once_per_page_as_a_thread(tmp_path: Path, tree: Tree) -> None:
    pages = _pages(tmp_path, tree)
    texts = [
        "North Korea will not sell arms to Russia.",
        "Arms negotiations are actively advancing.",
        "The talks are going well.",
    ]
    for path, page in pages.items():
        if path.startswith("sources/"):
            continue  # a source page lists the claims it supports, under each entry
        for text in texts:
            assert page.count(text) <= 1, f"{path}: {text!r} shown {page.count(text)} times"
    if tree is THREE_SIDED:
        page = pages["actors/north-korea.md"]
        thread = page[page.index('<div class="fs-thread"') :]
        # the claim both others dispute opens the thread, then the others in date order (undated last)
        order = [thread.index(t) for t in (texts[0], texts[2], texts[1])]
        assert order == sorted(order)
        assert order[0] < thread.index('<p class="fs-replies__label">Disputed by</p>') < order[1]


def test_a_pair_opens_with_the_earlier_claim(tmp_path: Path) -> None:
    tree = _edit(
        VALID_TREE,
        "events/2023-arms-talks-statement.yaml",
        "    stance: asserts\n",
        "    stance: asserts\n    date: '2023-08'\n",
    )
    page = _pages(tmp_path, tree)["actors/north-korea.md"]
    thread = page[page.index('<div class="fs-thread"') :]
    assert thread.index("actively advancing") < thread.index("will not sell arms")


# ------------------------------------------------------------------ 5. timeline


def test_timeline_has_year_and_month_headings_and_imprecise_items_first(tmp_path: Path) -> None:
    tree = dict(VALID_TREE)
    tree["events/2023-09-05-later.yaml"] = (
        "name: A later statement\nsummary: Later.\ntype: statement\ndate: '2023-09-05'\n"
        "actors: [russia]\nsources: [2023-news-article]\n"
    )
    tree["events/2023-talks.yaml"] = (
        "name: Talks sometime in 2023\nsummary: Sometime.\ntype: other\ndate: '2023'\n"
        "actors: [russia]\nsources: [2023-news-article]\n"
    )
    page = _pages(tmp_path, tree)["timeline.md"]
    headings = re.findall(r"^(#{2,3}) (.+)$", page, re.M)
    assert headings == [
        ("##", "2006"),
        ("###", "October 2006"),
        ("##", "2019"),
        ("###", "April 2019"),
        ("##", "2023"),
        ("###", "September 2023"),
    ]
    year = page[page.index("## 2023") :]
    # the year's own imprecise item, then the month: its day-not-known items, then the dated ones
    order = [
        year.index("2023, month not known"),
        year.index("Talks sometime in 2023"),
        year.index("### September"),
        year.index("September 2023, day not known"),
        year.index("Planned Putin–Kim meeting"),
        year.index("US statement on arms talks"),
        year.index("A later statement"),
    ]
    assert order == sorted(order)
    planned = re.search(r'<div class="fs-tl fs-tl--meetings fs-tl--planned" data-kind="meetings"', page)
    occurred = re.search(r'<div class="fs-tl fs-tl--meetings" data-kind="meetings"', page)
    assert planned and occurred  # planned and occurred items look different
    assert 'data-actors="kim-jong-un russia"' in page
    assert (
        '<div class="fs-filter" role="group" aria-label="Filter the timeline" hidden>' in page
        and '<option value="kim-jong-un">Kim Jong Un</option>' in page
    )


def test_each_actor_page_has_its_own_timeline_with_its_part_in_each_item(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    russia = pages["actors/russia.md"]
    section = russia[russia.index("## Timeline") : russia.index("## Claims")]
    assert re.findall(r"^### (\d{4})$", section, re.M) == ["2006", "2019", "2023"]
    assert "(participant, host, venue)" in section and "(imposed)" in section and "(involved)" in section


# ------------------------------------------------------------------ 6. infobox, languages, tags, notes


def test_key_facts_are_an_infobox_with_language_names_and_tags_linking_to_the_tag_page(
    tmp_path: Path,
) -> None:
    tree = _edit(
        VALID_TREE,
        "actors/north-korea.yaml",
        "  - {name: 조선민주주의인민공화국, lang: ko}\n",
        "  - {name: 조선민주주의인민공화국, lang: ko}\n  - {name: 朝鮮, lang: ko-Hani}\n"
        "  - {name: Tlhngan, lang: tlh}\ntags: [state, 한국]\n",
    )
    pages = _pages(tmp_path, tree)
    page = pages["actors/north-korea.md"]
    box = page[page.index('<aside class="fs-infobox" markdown>') : page.index("</aside>")]
    # right after the summary (read first, and first in the search preview), floated beside what follows
    assert page.index("The Democratic People") < page.index("<aside") < page.index("\n## ")
    assert '- **In Korean:** <span lang="ko">조선민주주의인민공화국</span>\n' in box
    assert '- **In Korean &#40;Hanja&#41;:** <span lang="ko-Hani">朝鮮</span>\n' in box  # "(" as a reference
    assert '- **In tlh:** <span lang="tlh">Tlhngan</span>\n' in box  # a tag with no name: as it is
    assert "(ko)" not in page and "ko-Hani)" not in page
    assert '<span class="fs-tag">[한국](../tags.md#tag-한국)</span>' in box
    tags = pages["tags.md"]
    assert 'id="tag-한국"' in tags and 'id="tag-state"' in tags
    assert "[North Korea](actors/north-korea.md)" in tags[tags.index('id="tag-state"') :]
    assert {"ko", "ko-Hani", "ru", "zh-Hans", "ja", "uk", "vi"} <= set(LANGUAGES)


def test_curators_working_notes_are_apart_from_what_readers_read(tmp_path: Path) -> None:
    tree = _edit(
        VALID_TREE,
        "actors/russia.yaml",
        "type: state\n",
        "type: state\nbody: Reader-facing background.\nnotes: Captured from a scraped page; see the raw HTML.\n",
    )
    page = _pages(tmp_path, tree)["actors/russia.md"]
    assert page.index("## Background") < page.index("## Notes") < page.index('<details class="fs-curator"')
    curator = page[page.index('<details class="fs-curator"') :]
    assert "<summary>Curators’ working notes" in curator and "Captured from a scraped page" in curator
    assert "Captured from" not in page[: page.index('<details class="fs-curator"')]


# ------------------------------------------------------------------ 3. found by its names


def test_pages_are_found_by_their_names_aliases_and_russian_inflected_forms(tmp_path: Path) -> None:
    assert inflected("Путин") == ["Путина", "Путину", "Путиным", "Путине"]
    assert {"Владивостока", "Владивостоке"} <= set(inflected("Владивосток"))
    assert "Сергея" in inflected("Сергей Шойгу") and inflected("Шойгу") == []  # indeclinable
    assert inflected("Совет Безопасности ООН") == ["Совета", "Совету", "Советом", "Совете"]  # genitive kept
    content = write_tree(tmp_path / "content", VALID_TREE)
    graph = load_graph(content)
    pages = {p.path: p for p in render(graph, Config(content_dir=content))}
    assert pages["actors/kim-jong-un.md"].keywords[:3] == ("Kim Jong Un", "Kim Jong Un", "김정은")
    assert pages["index.md"].keywords == ()
    ukrainian = graph.entity("russia").model_copy(
        update={
            "aliases": [
                graph.entity("north-korea").aliases[0].model_copy(update={"name": "Київ", "lang": "uk"})
            ]
        }
    )
    assert keywords(ukrainian) == ("Russia", "Russia", "Київ")  # only Russian is inflected


def test_keywords_cannot_carry_markup_into_the_search_results() -> None:
    hostile = '<img src=x onerror="alert(1)"> &lt;b&gt; Kim\'s [x](javascript:y) `z`'
    assert searchable(hostile) == "img src x onerror alert 1 lt b gt Kim's x javascript y z"


def test_the_built_site_gives_each_entry_its_names_as_search_tags(tmp_path: Path) -> None:
    """The plugin hands the keywords to Material's search as page tags, never as page text."""
    project = tmp_path / "project"
    write_tree(project / "content", VALID_TREE)
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(
        "site_name: T\ntheme: {name: material, font: false}\nplugins: [search, factsheet]\n", encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=project,
        check=True,
        capture_output=True,
    )
    docs = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))[
        "docs"
    ]
    kim = [d for d in docs if d["location"].startswith("actors/kim-jong-un/")]
    assert kim and all(d["tags"][:3] == ["Kim Jong Un", "Kim Jong Un", "김정은"] for d in kim)
    assert not any("tags" in d for d in docs if d["location"] in ("", "timeline/"))
    html = (tmp_path / "site" / "actors" / "kim-jong-un" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-tags"' not in html  # the theme does not print them
    assert (tmp_path / "site" / "assets" / "factsheet" / "factsheet.js").is_file()


# ------------------------------------------------------------------ 7. errors where the curator looks


def test_while_serving_broken_content_every_page_lists_the_errors_above_the_last_good_one(
    tmp_path: Path,
) -> None:
    import logging

    from mkdocs.config import load_config
    from projects import make_project

    # the plugin's serve logger writes to the stderr of whoever first used it: afterwards, the
    # next test (test_plugin's, reading capsys) must get one of its own
    serve_log = logging.getLogger("factsheet.serve")
    had = list(serve_log.handlers)
    try:
        _serving_shows_the_errors(make_project(tmp_path / "p"), load_config)
    finally:
        for handler in [h for h in serve_log.handlers if h not in had]:
            serve_log.removeHandler(handler)
        serve_log.propagate = True


def _serving_shows_the_errors(project: Path, load_config: Any) -> None:
    """Break the content while "serving", check every page, fix it, check again."""
    russia = project / "content" / "actors" / "russia.yaml"
    good = russia.read_text(encoding="utf-8")

    def pages_while_serving() -> dict[str, str]:
        config = load_config(str(project / "mkdocs.yml"))
        config.plugins.on_startup(command="serve", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        return {p.path: p.text for p in config.plugins["factsheet"].pages}

    before = pages_while_serving()
    # a value that is markup: it is quoted in the message, and must stay text in the banner
    russia.write_text(good.replace("type: state", "type: '<b>stat</b>'"), encoding="utf-8")
    broken = pages_while_serving()
    assert set(broken) == set(before)  # every page, not only the home page and the indexes
    for path, text in broken.items():
        banner, rest = text.split("\n\n", 1)
        assert banner.startswith('<div class="fs-errors" role="alert">'), path
        assert "The content has 1 problem." in banner
        assert "russia.yaml:3:7: type: expected one of" in html.unescape(banner)  # as a browser reads it
        assert "<b>" not in banner and "&#60;b&#62;stat" in banner
        assert rest == before[path]  # the last good page, unchanged, below the banner
    russia.write_text(good, encoding="utf-8")
    assert pages_while_serving() == before  # fixed: the banner goes
