"""The analysis views: sanctions overview, source audit (page and ``check --audit``),
``factsheet diff`` (folders and git revisions) and the relationship maps.

Goldens in ``tests/golden/analysis/`` (``--update-goldens`` rewrites them; review the
diff): every analysis page of ``AUDIT_TREE``, the ``check --audit`` output and the diff of
``DIFF_OLD`` and ``DIFF_NEW``. The browser checks are in tests/browser/test_analysis_browser.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urljoin

import pytest
from analysis_trees import AUDIT_TREE, DIFF_NEW, DIFF_OLD
from click.testing import CliRunner, Result
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_config
from projects import mkdocs_yml
from trees import VALID_TREE, Tree, write_tree

from generator.analysis import MAPS_INDEX, SANCTIONS_OVERVIEW, SOURCE_AUDIT, analysis_pages, map_path
from generator.analysis_audit import CHECKS, audit
from generator.analysis_map import NEIGHBOUR_CAP, actor_map, site_urls
from generator.analysis_network import network, short_label
from generator.build import build, load_graph
from generator.cli import main
from generator.config import Config, load_config
from generator.link import Graph
from generator.render import Page

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "analysis"
SVG_NS = "{http://www.w3.org/2000/svg}"


def is_analysis(path: str) -> bool:
    return path in (SANCTIONS_OVERVIEW, SOURCE_AUDIT) or path.startswith("maps/")


def golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{name}: no golden yet (run with --update-goldens and review it)"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), prog_name="factsheet")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def svg_of(page_text: str) -> ElementTree.Element:
    """The map of a page, parsed as XML (so it must be well-formed)."""
    found = re.search(r'<figure class="fs-map">(<svg .*?</svg>)', page_text, re.S)
    assert found, "no map on the page"
    return ElementTree.fromstring(found[1])


def svg_links(page_text: str) -> list[tuple[str, str]]:
    """(href, title) of every link of the map."""
    out = []
    for a in svg_of(page_text).iter(f"{SVG_NS}a"):
        title = a.find(f"{SVG_NS}title")
        out.append((a.get("href") or "", "" if title is None else title.text or ""))
    return out


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def audit_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("analysis")
    write_tree(root / "content", AUDIT_TREE)
    return root


@pytest.fixture(scope="module")
def audit_pages(audit_project: Path) -> dict[str, str]:
    site = build(Config(content_dir=audit_project / "content", site_name="Test briefing"))
    return {p.path: p.text for p in site.pages if is_analysis(p.path)}


@pytest.fixture(scope="module")
def default_graph() -> Graph:
    return load_graph(REPO / "content")


@pytest.fixture(scope="module")
def default_pages(default_graph: Graph) -> dict[str, str]:
    config = load_config(REPO / "mkdocs.yml")
    return {p.path: p.text for p in analysis_pages(default_graph, config)}


# ------------------------------------------------------------------ goldens


def test_one_golden_per_analysis_page(audit_pages: dict[str, str], update_goldens: bool) -> None:
    pages = GOLDEN / "pages"
    if update_goldens:
        for stale in pages.rglob("*.md"):
            if stale.relative_to(pages).as_posix() not in audit_pages:
                stale.unlink()
        for path, text in audit_pages.items():
            golden(f"pages/{path}", text, True)
    assert {p.relative_to(pages).as_posix() for p in pages.rglob("*.md")} == set(audit_pages)
    assert {SANCTIONS_OVERVIEW, SOURCE_AUDIT, MAPS_INDEX, "maps/kim-jong-un.md"} <= set(audit_pages)


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(GOLDEN / "pages").as_posix() for p in (GOLDEN / "pages").rglob("*.md"))
    if (GOLDEN / "pages").is_dir()
    else [],
)
def test_analysis_page_matches_golden(audit_pages: dict[str, str], update_goldens: bool, path: str) -> None:
    golden(f"pages/{path}", audit_pages[path], update_goldens)


# ------------------------------------------------------------------ sanctions overview


def test_sanctions_overview_lists_every_measure_of_the_default_briefing(
    default_graph: Graph, default_pages: dict[str, str]
) -> None:
    page = default_pages[SANCTIONS_OVERVIEW]
    rows = [line for line in page.splitlines() if line.startswith("| <span data-sort=")]
    assert len(rows) == len(default_graph.by_kind["sanctions"]) == 6
    for sid, row in zip(default_graph.by_kind["sanctions"], rows, strict=True):
        assert f"](sanctions/{sid}.md)" in row  # in timeline order, each linked
        sanction = default_graph.entity(sid)
        for measure in getattr(sanction, "measures", []):
            assert measure.split()[0] in row
    keys = [int(re.search(r'data-sort="(\d+)"', row)[1]) for row in rows]  # type: ignore[index]
    assert keys == sorted(keys) and keys[-1] == 99_999_999  # undated last
    assert "14\u00a0October\u00a02006" in rows[0]  # a date at its precision
    assert "| Date | Sanction | Imposed by | Targets | Legal basis | Measures | Status as of" in page
    assert 'data-fs-filters="2 3 6"' in page  # the browser filters: imposed by, targets, status
    assert "[UN Security Council Resolution 1718 &#40;2006&#41;](sanctions/unsc-resolution-1718.md)" in page


def test_sanctions_overview_of_a_tree_without_sanctions(tmp_path: Path) -> None:
    tree = {k: v for k, v in VALID_TREE.items() if not k.startswith("sanctions/")}
    pages = analysis_pages(load_graph(write_tree(tmp_path / "c", tree)), Config(content_dir=tmp_path / "c"))
    overview = next(p for p in pages if p.path == SANCTIONS_OVERVIEW)
    assert "No sanctions are recorded." in overview.text and "data-fs-table" not in overview.text


# ------------------------------------------------------------------ source audit


def test_audit_finds_each_kind_of_thin_evidence(audit_project: Path) -> None:
    graph = load_graph(audit_project / "content")
    found = {(f.check, f.entity_id, f.claim_index) for f in audit(graph)}
    expected = {
        ("single-source", "2023-10-shell-shipment", None),
        ("single-source", "united-states", 0),  # confirmed on its one source
        ("anonymous", "2023-arms-talks-statement", 0),
        ("no-locator", "2023-arms-talks-statement", None),
        ("no-locator", "2023-10-shell-shipment", 0),
        ("low-reliability", "us-sanctions-2023", None),
        ("low-reliability", "2023-10-shell-shipment", 0),
        ("later-than-sources", "2023-10-shell-shipment", None),  # dated after its only source
        ("later-than-sources", "2023-10-shell-shipment", 0),  # said after its source was published
        ("one-sided", "2023-10-shell-shipment", 0),  # a denial of nothing recorded
        ("one-sided", "us-sanctions-2023", 0),  # "disputed", with nobody on the other side
        ("never-reviewed", "kim-jong-un", None),
    }
    assert expected <= found
    assert {check for check, _, _ in found} == {c.key for c in CHECKS}
    # and what is not thin: the planned meeting is dated after its source (a plan), the
    # denial that disputes a claim has both sides, reviewed entries are reviewed
    assert ("later-than-sources", "2023-09-putin-kim-meeting", None) not in found
    assert ("one-sided", "kim-jong-un", 0) not in found and (
        "one-sided",
        "2023-arms-talks-statement",
        0,
    ) not in found
    assert ("never-reviewed", "united-states", None) not in found
    assert ("single-source", "united-states", None) not in found


def test_check_audit_prints_the_page_list_located_and_exits_0(
    audit_project: Path, audit_pages: dict[str, str], monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    monkeypatch.chdir(audit_project)
    result = run("check", "--audit")
    assert result.exit_code == 0
    golden("check-audit.txt", result.stdout, update_goldens)
    assert result.stdout.startswith("content: 15 entries OK")
    graph = load_graph(Path("content"))
    findings = audit(graph)
    located = [line for line in result.stdout.splitlines() if line.startswith("  content/")]
    assert len(located) == len(findings)  # the same list as the page ...
    page = audit_pages[SOURCE_AUDIT]
    rows = [line for line in page.splitlines() if line.startswith("| [") and "](#audit-" not in line]
    assert len(rows) == len(findings)
    for finding, row in zip(findings, rows, strict=True):  # ... in the same order, each linking to it
        kind = graph.kind(finding.entity_id)
        anchor = (
            ""
            if finding.claim_index is None
            else f"#claim-{graph.entity(finding.entity_id).claims[finding.claim_index].id}"
        )
        assert f"]({kind}/{finding.entity_id}.md{anchor})" in row
    assert run("check").stdout.count("\n") == 1  # without --audit: one line, as before


def test_default_briefing_audit_lists_the_anonymous_claims(
    default_graph: Graph, default_pages: dict[str, str]
) -> None:
    anonymous = [
        (node.entity_id, node.claim.id)
        for node in default_graph.claims.values()
        if node.claim.attribution and not node.claim.by
    ]
    assert len(anonymous) >= 5
    section = default_pages[SOURCE_AUDIT].split('id="audit-anonymous"')[1].split("</div>")[0]
    for entity_id, claim_id in anonymous:
        assert f"/{entity_id}.md#claim-{claim_id})" in section


# ------------------------------------------------------------------ diff


def test_diff_of_two_folders_is_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    write_tree(tmp_path / "old" / "content", DIFF_OLD)
    write_tree(tmp_path / "new" / "content", DIFF_NEW)
    monkeypatch.chdir(tmp_path)
    result = run("diff", "old/content", "new/content", "--content", "new/content")
    assert result.exit_code == 0, result.output
    golden("diff.txt", result.stdout, update_goldens)
    # what the golden must hold, said once more in words
    assert (
        "> actors/unnamed-firm → actors/intellekt-llc  Intellekt LLC" in result.stdout
    )  # renamed: same name
    assert "    date: September 2023 → 13 September 2023" in result.stdout  # a date's precision
    assert "        date: September 2023 → 4 September 2023" in result.stdout  # ... a claim's
    assert "    - claim rarely-travels: Kim rarely travels abroad." in result.stdout  # a deleted claim
    assert "claims: 1 added, 1 removed, 1 changed" in result.stdout


def _git(repo: Path, *args: str) -> str:
    env = os.environ | {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _commit(repo: Path, tree: Tree, message: str) -> None:
    content = repo / "content"
    if content.exists():
        subprocess.run(["rm", "-rf", str(content)], check=True)
    write_tree(content, tree)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def test_diff_of_two_git_revisions_is_the_same_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _commit(repo, DIFF_OLD, "first edition")
    _git(repo, "tag", "edition-1")
    _commit(repo, DIFF_NEW, "second edition")
    (repo / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - factsheet:\n      content: content\n")
    status = _git(repo, "status", "--porcelain")
    head = _git(repo, "rev-parse", "HEAD").strip()
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(repo)
    by_revision = run("diff", "edition-1", "HEAD")
    assert by_revision.exit_code == 0, by_revision.output
    first, _, body = by_revision.stdout.partition("\n")
    assert (
        first
        == f"Changes from edition-1 ({_git(repo, 'rev-parse', 'edition-1').strip()[:7]}) to HEAD ({head[:7]})"
    )
    if not update_goldens:
        assert body == (GOLDEN / "diff.txt").read_text(encoding="utf-8").partition("\n")[2]
    since = run("diff", "HEAD~1")  # NEW: the content folder as it is
    assert since.stdout.partition("\n")[2] == body
    assert since.stdout.startswith("Changes from HEAD~1 (") and " to content\n" in since.stdout
    assert _git(repo, "status", "--porcelain") == status and _git(repo, "rev-parse", "HEAD").strip() == head
    assert list(temp.iterdir()) == []  # the revisions read are gone


def test_whats_new_page_lists_the_changes_since_an_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    """Option ``whats_new_since: edition-1`` (a tag): a strict site build carries a "What's new"
    page with the same changes as ``factsheet diff``, linked from the home page and the sidebar."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _commit(repo, DIFF_OLD, "first edition")
    _git(repo, "tag", "edition-1")
    _commit(repo, DIFF_NEW, "second edition")
    (repo / "docs").mkdir()
    (repo / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "  - factsheet:\n      content: content\n      whats_new_since: edition-1\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # the revision is read from the content folder's repository
    config = load_config(repo / "mkdocs.yml")
    page = next(p for p in build(config).pages if p.path == "whats-new.md")
    tag = _git(repo, "rev-parse", "edition-1").strip()[:7]
    golden("whats-new.md", page.text.replace(tag, "0000000"), update_goldens)  # commit hashes vary
    assert page.title == f"What's new since edition-1 ({tag})"
    for line in [
        "- [US sanctions on Intellekt LLC](sanctions/2023-08-31-us-sanctions.md) (Sanction)",
        "- An old rumour (Event)",  # removed: its name, no link
        "- [Intellekt LLC](actors/intellekt-llc.md) (Actor, formerly `unnamed-firm`)",
        "    - **date**: September 2023 → 13 September 2023",  # a date's precision
        "    - claim rarely-travels removed: Kim rarely travels abroad.",  # a deleted claim
    ]:
        assert line in page.text, line

    site = tmp_path / "site"
    mk = mkdocs_config(str(repo / "mkdocs.yml"), site_dir=str(site), strict=True)
    mk.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(mk)
    finally:
        mk.plugins.on_shutdown()
    html = (site / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert "What&#39;s new since edition-1" in html or "What's new since edition-1" in html
    assert 'href="../actors/intellekt-llc/"' in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="whats-new/"' in home


def test_diff_of_two_revisions_of_this_repository_is_exact(
    monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    """Two commits of the default briefing (a body and a publisher reworded, an alias
    dropped), read from this repository's history: the whole output, checked against git's."""
    old, new = "e9b7d88", "b3e1c75"
    for rev in (old, new):
        if subprocess.run(
            ["git", "-C", str(REPO), "cat-file", "-e", f"{rev}^{{commit}}"], capture_output=True
        ).returncode:
            pytest.skip(f"commit {rev} is not in this clone (shallow?)")
    monkeypatch.chdir(REPO)
    result = run("diff", old, new)
    assert result.exit_code == 0, result.output
    golden(f"repo-{old}-{new}.txt", result.stdout, update_goldens)


def test_diff_errors_are_located_or_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    broken = dict(DIFF_OLD)
    broken["actors/russia.yaml"] = DIFF_OLD["actors/russia.yaml"].replace("type: state", "type: stat")
    _commit(repo, broken, "broken")
    _commit(repo, DIFF_OLD, "fixed")
    monkeypatch.chdir(repo)
    result = run("diff", "HEAD~1")
    assert result.exit_code == 1
    assert result.stderr.startswith("HEAD~1:content/actors/russia.yaml:3:7: type: expected one of")
    unknown = run("diff", "no-such-tag")
    assert (
        unknown.exit_code == 2
        and "'no-such-tag': no such folder, and not a git revision of" in unknown.stderr
    )
    option = run("diff", "--", "--output=x")
    assert option.exit_code == 2 and "not a content folder or a git revision" in option.stderr
    assert not (repo / "x").exists()
    same = run("diff", "HEAD")
    assert same.exit_code == 0 and same.stdout.endswith(
        "(8 unchanged); claims: 0 added, 0 removed, 0 changed\nNo differences.\n"
    )


# ------------------------------------------------------------------ maps


def test_kim_jong_uns_map_shows_putin_trump_shoigu_and_china(
    default_graph: Graph, default_pages: dict[str, str]
) -> None:
    net = network(default_graph)
    relations = {b: short_label(links) for b, links in net.neighbours("kim-jong-un").items()}
    assert relations["vladimir-putin"] == "met ×3"
    assert relations["donald-trump"] == "met ×2"
    assert relations["sergei-shoigu"] == "met"
    assert relations["china"] == "met"
    assert relations["north-korea"].endswith("2 roles · country")
    page = default_pages[map_path("kim-jong-un")]
    links = dict(svg_links(page))
    for actor, name in [
        ("vladimir-putin", "Vladimir Putin"),
        ("donald-trump", "Donald Trump"),
        ("sergei-shoigu", "Sergei Shoigu"),
        ("china", "China"),
        ("kim-jong-un", "Kim Jong Un"),
    ]:
        assert links[f"../actors/{actor}.md"] == name  # each node a link to the actor's page
    edge_titles = [t.text for t in svg_of(page).iter(f"{SVG_NS}title") if t.text and " — " in t.text]
    assert "Kim Jong Un — Vladimir Putin: met ×3" in edge_titles  # labelled edges
    assert "| [Vladimir Putin](../actors/vladimir-putin.md) ([map](vladimir-putin.md)) | met ×3 |" in page


def test_every_actor_has_a_map_linked_from_the_maps_index(
    default_graph: Graph, default_pages: dict[str, str]
) -> None:
    index = default_pages[MAPS_INDEX]
    for actor in default_graph.by_kind["actors"]:
        assert map_path(actor) in default_pages
        assert f"]({actor}.md)" in index
        assert default_pages[map_path(actor)].startswith("---\nsearch:\n  exclude: true\n---\n# ")
    groups = {title for _, title in svg_links(index)}
    assert {"Russia", "North Korea", "United States", "Vladimir Putin", "Kim Jong Un"} <= groups


def test_a_crowded_neighbourhood_is_capped_and_listed_whole(tmp_path: Path) -> None:
    tree: Tree = {
        "sources/s.yaml": "name: S\n",
        "actors/hub.yaml": "name: Hub\nsummary: x.\ntype: person\nsources: [s]\n",
    }
    others = [f"person-{i:02d}" for i in range(NEIGHBOUR_CAP + 3)]
    for other in others:
        tree[f"actors/{other}.yaml"] = f"name: Person {other[-2:]}\nsummary: x.\ntype: person\nsources: [s]\n"
    tree["meetings/big.yaml"] = (
        f'name: Big meeting\nsummary: x.\ndate: "2020"\nparticipants: [hub, {", ".join(others)}]\nsources: [s]\n'
    )
    graph = load_graph(write_tree(tmp_path / "c", tree))
    drawn = actor_map(graph, network(graph), "hub", lambda i: f"../actors/{i}.md")
    assert len(drawn.shown) == NEIGHBOUR_CAP and len(drawn.more) == 3
    assert ">and 3 more related actors: see the table below</text>" in drawn.svg
    page = next(
        p for p in analysis_pages(graph, Config(content_dir=tmp_path / "c")) if p.path == "maps/hub.md"
    )
    assert page.text.count(" · not drawn |") == 3 and page.text.count("| [Person ") == len(others)


def test_maps_are_safe_svg(audit_pages: dict[str, str]) -> None:
    allowed = {"svg", "g", "rect", "line", "text", "a", "title"}
    for path, text in audit_pages.items():
        if not path.startswith("maps/"):
            continue
        root = svg_of(text)
        for el in root.iter():
            assert el.tag.removeprefix(SVG_NS) in allowed, (path, el.tag)
            for name, value in el.attrib.items():
                assert not name.startswith("on") and name != "style", (path, name)
                assert "url(" not in value and "javascript" not in value.lower(), (path, value)
                if name == "href":
                    assert re.fullmatch(r"(\.\./)*([a-z0-9-]+/)*[a-z0-9-]+\.md", value), value
    odd = 'A <b>bold</b> & "quoted" {{ 7*7 }} name'
    russia = audit_pages["maps/russia.md"]
    assert odd in [t for _, t in svg_links(russia)]  # read back as the text it is
    assert (
        "<b>" not in russia.split("<figure", 1)[1]
        and "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in russia
    )
    assert "{{ 7*7 }}" not in russia.split("<figure", 1)[0]  # outside the SVG: entity-escaped as any text


def test_site_urls_follow_mkdocs_urls() -> None:
    figure = '<figure class="fs-map"><a href="../actors/x.md"></a><a href="y.md"></a><a href="index.md"></a></figure>'
    page = f"[a](../actors/x.md)\n\n{figure}\n"
    directory = site_urls(page, "maps/kim.md", True)
    assert directory.startswith("[a](../actors/x.md)")  # Markdown links are MkDocs' to rewrite
    assert '<a href="../../actors/x/"></a><a href="../y/"></a><a href="../"></a>' in directory
    assert '<a href="../actors/x/"></a><a href="y/"></a><a href="./"></a>' in site_urls(
        figure, "maps/index.md", True
    )
    assert '<a href="../actors/x.html"></a><a href="y.html"></a><a href="index.html"></a>' in site_urls(
        figure, "maps/kim.md", False
    )
    # relative URLs resolve where the built site has the page
    assert urljoin("http://h/maps/kim/", "../../actors/x/") == "http://h/actors/x/"


@pytest.mark.parametrize("directory", [True, False])
def test_strict_build_serves_every_map_link(audit_project: Path, tmp_path: Path, directory: bool) -> None:
    project = tmp_path / "p"
    write_tree(project / "content", AUDIT_TREE)
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(
        mkdocs_yml(top=f"use_directory_urls: {str(directory).lower()}\n"), encoding="utf-8"
    )
    site = tmp_path / "site"
    config = mkdocs_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)  # strict: any warning fails the build
    finally:
        config.plugins.on_shutdown()
    assert (site / "assets" / "factsheet" / "factsheet-tables.js").is_file()
    nav = [next(iter(item)) for item in config.nav]
    assert "Analysis" in nav
    checked = 0
    for page in sorted(site.joinpath("maps").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a href="([^"]*)" class="fs-map__node"', html):
            target = (page.parent / href).resolve()
            target = target / "index.html" if href.endswith("/") else target
            assert target.is_file(), (page, href)
            checked += 1
    assert checked > 20
    overview = (
        site / ("sanctions-overview/index.html" if directory else "sanctions-overview.html")
    ).read_text("utf-8")
    assert "factsheet-tables.js" in overview and "data-fs-table" in overview


def test_analysis_pages_of_a_synthetic_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "make_corpus.py"),
            "--count",
            "300",
            "--seed",
            "3",
            "--out",
            str(corpus),
        ],
        check=True,
        capture_output=True,
    )
    graph = load_graph(corpus)
    pages: list[Page] = analysis_pages(graph, Config(content_dir=corpus))
    paths = {p.path for p in pages}
    assert paths == {SANCTIONS_OVERVIEW, SOURCE_AUDIT, MAPS_INDEX} | {
        map_path(a) for a in graph.by_kind["actors"]
    }
    for page in pages:
        if page.path.startswith("maps/"):
            svg_of(page.text)  # well-formed
    index = next(p for p in pages if p.path == MAPS_INDEX).text
    assert re.search(r"and \d+ more groups", index)  # capped, and said so
