"""PDF briefs and the briefing book, checked as a reader gets them: text, pages, links, pictures.

The default content and a small tree are each rendered once per session (the expensive
part); the tests read the PDFs back with pypdf and pdftoppm. The book and one brief, with
pictures of their first pages, are copied to ``test-artifacts/pdf/`` for CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from click.testing import CliRunner
from projects import mkdocs_yml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, Destination
from trees import VALID_TREE, write_tree

from generator import pdf as pdf_module
from generator import pdf_fonts
from generator.asof import as_of
from generator.build import load_graph
from generator.cli import main
from generator.config import Config, load_config
from generator.errors import ConfigError
from generator.link import Graph
from generator.model import KINDS
from generator.pdf import PdfReport, build_pdfs
from generator.pdf_engine import LINK_SCHEME, Job, LocalOnly, Result
from generator.pdf_view import PdfView

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "pdf"
SECTIONS = [k.title for k in KINDS]
BACK = ["Timeline", "Sanctions table", "Index of names"]


def _missing_pdf_tools() -> str | None:
    """What this machine lacks for the PDF tests: pdftoppm, or a font for a script of the
    default briefing (the message names the Debian package)."""
    if shutil.which("pdftoppm") is None:
        return "pdftoppm is not installed (apt-get install poppler-utils)"
    try:
        pdf_fonts.check_fonts(load_graph(REPO / "content"))
    except ConfigError as exc:
        return str(exc)
    return None


@pytest.fixture(autouse=True, scope="module")
def _pdf_tools() -> None:
    """Like the browser tests: on a workstation without the fonts or poppler the PDF tests are
    skipped loudly (the reason is in the summary); with CI set they fail instead."""
    problem = _missing_pdf_tools()
    if problem is None:
        return
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"PDF TESTS NOT RUN: {problem}; CI is set, so this fails", pytrace=False)
    pytest.skip(f"PDF TESTS SKIPPED: {problem} (.ci/run installs what they need)")


@dataclass
class Built:
    out: Path
    report: PdfReport
    graph: Graph
    config: Config

    @cached_property
    def book(self) -> PdfReader:
        return PdfReader(self.out / "briefing.pdf")

    @cached_property
    def book_pages(self) -> list[str]:
        """The text of each page of the book (extracted once: it takes seconds)."""
        return page_texts(self.book)

    def brief(self, entity_id: str) -> PdfReader:
        return PdfReader(self.out / "briefs" / self.graph.kind(entity_id) / f"{entity_id}.pdf")


def norm(text: str) -> str:
    """Text as compared: NFC, every run of whitespace one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def page_texts(reader: PdfReader) -> list[str]:
    return [norm(page.extract_text() or "") for page in reader.pages]


@pytest.fixture(scope="session")
def corpus_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A synthetic corpus (bench/make_corpus.py, 60 entries of every kind): the same checks
    as the default content, on content nobody wrote by hand."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "bench" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    content = tmp_path_factory.mktemp("corpus") / "content"
    make_corpus.main(["--count", "60", "--out", str(content)])
    config = Config(content_dir=content, site_name="Synthetic corpus")
    graph = load_graph(content)
    out = tmp_path_factory.mktemp("corpus-pdf")
    return Built(out, build_pdfs(graph, config, out, workers=2), graph, config)


@pytest.fixture(params=["default", "corpus"])
def pdfs(request: pytest.FixtureRequest) -> Built:
    """The default briefing's PDFs, then the synthetic corpus's: checks that hold for any content."""
    built: Built = request.getfixturevalue(f"{request.param}_pdfs")
    return built


@pytest.fixture(scope="session")
def default_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    config = load_config(REPO / "mkdocs.yml")
    graph = load_graph(config.content_dir)
    out = tmp_path_factory.mktemp("default-pdf")
    report = build_pdfs(graph, config, out, workers=2)
    built = Built(out, report, graph, config)
    _keep_artifacts(built)
    return built


@pytest.fixture(scope="session")
def small_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("small")
    config = Config(content_dir=write_tree(root / "content", VALID_TREE), site_name="Small briefing")
    graph = load_graph(config.content_dir)
    report = build_pdfs(graph, config, root / "pdf", workers=1)
    return Built(root / "pdf", report, graph, config)


def _keep_artifacts(built: Built) -> None:
    """The book, one brief and pictures of their first pages, for CI to keep and people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    brief = built.out / "briefs" / "actors" / "kim-jong-un.pdf"
    for source, name in [(built.out / "briefing.pdf", "briefing"), (brief, "brief-kim-jong-un")]:
        shutil.copyfile(source, ARTIFACTS / f"{name}.pdf")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(source), str(ARTIFACTS / name)],
            check=True,
        )


# ---------------------------------------------------------------- content of the PDFs


def test_every_entry_has_a_brief_and_the_book_every_section_and_entry(pdfs: Built) -> None:
    graph = pdfs.graph
    expected = {f"briefs/{k}/{i}.pdf" for k, ids in graph.by_kind.items() for i in ids} | {"briefing.pdf"}
    assert set(pdfs.report.written) == expected
    text = " ".join(pdfs.book_pages)
    for title in [*SECTIONS, *BACK]:
        assert title in text
    for entity_id, record in graph.records.items():
        assert norm(record.entity.name) in text, entity_id


def test_brief_has_title_kind_as_of_summary_facts_claims_and_notes(default_pdfs: Built) -> None:
    text = " ".join(page_texts(default_pdfs.brief("kim-jong-un")))
    date = as_of(default_pdfs.graph, default_pdfs.config.as_of)
    assert "ACTOR · PERSON" in text and "Kim Jong Un" in text
    assert "brief as of " in text and date[:4] in text
    for heading in ["KEY FACTS", "RELATIONSHIPS", "TIMELINE", "CLAIMS", "SOURCE NOTES"]:
        assert heading in text
    assert re.search(r"Page 1 of \d", text)


def test_curators_working_notes_are_not_printed(default_pdfs: Built) -> None:
    with_notes = [i for i in default_pdfs.graph.records if default_pdfs.graph.entity(i).notes]
    assert with_notes
    for entity_id in with_notes[:5]:
        text = " ".join(page_texts(default_pdfs.brief(entity_id))).upper()
        assert "SOURCE NOTES" in text and "CURATOR’S NOTES" not in text, entity_id
    assert "CURATOR’S NOTES" not in " ".join(default_pdfs.book_pages).upper()


def test_typical_briefs_are_one_to_three_pages(default_pdfs: Built) -> None:
    counts = sorted(len(default_pdfs.brief(i).pages) for i in default_pdfs.graph.records)
    assert counts[len(counts) // 2] <= 2  # the median brief
    assert sum(c <= 3 for c in counts) >= 0.9 * len(counts)


def test_disputed_claims_are_printed_side_by_side(default_pdfs: Built) -> None:
    graph = default_pdfs.graph
    entity_id = next(graph.claims[c].entity_id for c in graph.disputes)
    text = " ".join(page_texts(default_pdfs.brief(entity_id)))
    assert "Claim In dispute with" in text


def test_contents_page_numbers_are_the_pages_where_entries_start(pdfs: Built) -> None:
    book = pdfs.book
    pages = pdfs.book_pages
    outline = {item.title: book.get_destination_page_number(item) for item in _outline(book.outline)}
    # read by position, as a viewer shows it: the numbers are printed in their own column
    toc = "\n".join(
        unicodedata.normalize("NFC", book.pages[i].extract_text(extraction_mode="layout"))
        for i in range(1, outline["Actors"])
    )
    checked = 0
    for kind in KINDS:
        for entity_id in pdfs.graph.by_kind[kind.folder]:
            name = norm(pdfs.graph.entity(entity_id).name)
            if len(name) <= 70:
                pattern = r"^\s*" + re.escape(name) + r"\s{2,}(\d+)\s*$"
            else:  # a long name may wrap: its number is on its first line
                pattern = r"^\s*" + re.escape(name[:70]) + r"[^\n]*?\s(\d+)\s*$"
            found = re.search(pattern, toc, re.M)
            assert found, f"{name} is not in the contents"
            number = int(found[1])
            assert name in pages[number - 1], f"{name}: the contents say page {number}"
            assert outline[name] == number - 1
            checked += 1
    assert checked == len(pdfs.graph.records)


def _outline(items: list[object]) -> Iterator[Destination]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            assert isinstance(item, Destination)
            yield item


def test_outline_has_every_section_with_its_entries(default_pdfs: Built) -> None:
    outline = default_pdfs.book.outline
    top = [item.title for item in outline if isinstance(item, Destination)]
    assert top == ["Cover", "Contents", *SECTIONS, *BACK]
    for kind in KINDS:
        at = outline.index(next(i for i in outline if isinstance(i, Destination) and i.title == kind.title))
        children = outline[at + 1]
        assert isinstance(children, list)
        assert len(children) == len(default_pdfs.graph.by_kind[kind.folder])
    brief = [i.title for i in _outline(default_pdfs.brief("kim-jong-un").outline)]
    assert brief[0] == "Kim Jong Un" and "Claims" in brief and "Source notes" in brief


def test_korean_russian_and_chinese_names_extract_as_the_same_characters(default_pdfs: Built) -> None:
    brief = " ".join(page_texts(default_pdfs.brief("kim-jong-un")))
    book = " ".join(default_pdfs.book_pages)
    for name in ["김정은", "Ким Чен Ын", "金正恩"]:
        assert name in brief
        assert name in book
    assert "Путин" in book


def test_every_source_note_names_a_real_source(pdfs: Built) -> None:
    graph = pdfs.graph
    sources = [norm(graph.entity(i).name)[:30] for i in graph.by_kind["sources"]]
    for entity_id in graph.records:
        text = " ".join(page_texts(pdfs.brief(entity_id)))
        if "SOURCE NOTES" not in text:
            assert graph.kind(entity_id) == "sources" and "source [" not in text
            continue
        notes = text.split("SOURCE NOTES", 1)[1]
        count = 0
        for found in re.finditer(r"(?<!\S)(\d+)\. ", notes):
            if int(found[1]) == count + 1 and any(notes[found.end() :].startswith(s) for s in sources):
                count += 1
        view = PdfView(graph, pdfs.config, "2023", book=False, here=entity_id)
        assert count == len(view.notes(entity_id)) >= 1, entity_id
        for ref in re.findall(r"source \[(\d+)\]", text):
            assert 1 <= int(ref) <= count, f"{entity_id}: source [{ref}] has no note"


def test_web_addresses_are_printed_in_full(default_pdfs: Built) -> None:
    graph = default_pdfs.graph
    source = next(i for i in graph.by_kind["sources"] if getattr(graph.entity(i), "url", None))
    url = graph.entity(source).url  # type: ignore[attr-defined]
    text = "".join(page_texts(default_pdfs.brief(source))).replace(" ", "")
    assert url in text


def test_links_in_the_book_land_on_pages_inside_it(pdfs: Built) -> None:
    book = pdfs.book
    pages = {page.indirect_reference.idnum for page in book.pages}  # type: ignore[union-attr]
    internal = 0
    for page in book.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            if action is not None:
                uri = str(action.get_object().get("/URI", ""))
                assert not uri.startswith(LINK_SCHEME), f"unresolved link {uri}"
                assert uri.startswith(("http://", "https://", "mailto:")), uri
                continue
            dest = annot["/Dest"]
            assert isinstance(dest, ArrayObject)
            assert dest[0].idnum in pages
            internal += 1
    assert internal > len(pdfs.graph.records)  # the contents alone link every entry


def test_links_in_a_brief_land_on_its_own_anchors(default_pdfs: Built) -> None:
    brief = default_pdfs.brief("north-korea")
    names = set(brief.named_destinations)
    links = [
        ref.get_object()["/Dest"]
        for page in brief.pages
        for ref in page.get("/Annots") or []
        if "/Dest" in ref.get_object()
    ]
    assert links
    assert all(str(d) in names for d in links)


def test_metadata_title_and_language(default_pdfs: Built) -> None:
    book = default_pdfs.book
    assert (
        book.metadata is not None
        and book.metadata.title == f"{default_pdfs.config.site_name} — briefing book"
    )
    assert book.trailer["/Root"]["/Lang"] == "en"
    brief = default_pdfs.brief("kim-jong-un")
    assert brief.metadata is not None and (brief.metadata.title or "").startswith("Kim Jong Un")
    assert brief.trailer["/Root"]["/Lang"] == "en"


def test_page_x_of_y_on_every_page_but_the_cover(pdfs: Built) -> None:
    pages = pdfs.book_pages
    total = len(pages)
    assert "Page 1 of" not in pages[0]
    for number, text in enumerate(pages[1:], 2):
        assert f"Page {number} of {total}" in text


def _gray(path: Path, page: int) -> bytes:
    """Pixels of one page at 20 dpi, 8-bit grey (pdftoppm's PGM: header, then one byte a pixel)."""
    data = subprocess.run(
        ["pdftoppm", "-r", "20", "-gray", "-f", str(page), "-l", str(page), str(path)],
        check=True,
        capture_output=True,
    ).stdout
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P5"
    return fields[4]


def test_pages_are_not_blank_pictures(default_pdfs: Built) -> None:
    out = default_pdfs.out
    for path, page in [
        (out / "briefing.pdf", 1),
        (out / "briefing.pdf", 3),
        (out / "briefs/actors/kim-jong-un.pdf", 1),
    ]:
        pixels = _gray(path, page)
        mean = sum(pixels) / len(pixels)
        variance = sum((p - mean) ** 2 for p in pixels) / len(pixels)
        ink = sum(p < 200 for p in pixels) / len(pixels)
        assert variance > 100 and 0.003 < ink < 0.5, (path, page, variance, ink)
    assert (ARTIFACTS / "briefing-01.png").stat().st_size > 2000


# ---------------------------------------------------------------- only what changed


def test_rerun_renders_only_changed_briefs_and_the_book(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", VALID_TREE)
    config = Config(content_dir=content, site_name="Small briefing")
    out = tmp_path / "pdf"
    first = build_pdfs(load_graph(content), config, out, workers=1)
    assert len(first.written) == len(VALID_TREE) + 1
    mtimes = {p: p.stat().st_mtime_ns for p in [out / "briefing.pdf", *out.glob("briefs/*/*.pdf")]}

    again = build_pdfs(load_graph(content), config, out, workers=1)
    assert again.written == [] and again.parts_rendered == 0

    meeting = content / "meetings" / "2019-04-25-vladivostok-summit.yaml"
    meeting.write_text(meeting.read_text().replace("First meeting", "The first meeting"), encoding="utf-8")
    edited = build_pdfs(load_graph(content), config, out, workers=1)
    assert sorted(edited.written) == ["briefing.pdf", "briefs/meetings/2019-04-25-vladivostok-summit.pdf"]
    assert edited.parts_rendered >= 1 and edited.parts_cached >= 2
    for path, mtime in mtimes.items():
        changed = path.name in ("briefing.pdf", "2019-04-25-vladivostok-summit.pdf")
        assert (path.stat().st_mtime_ns != mtime) == changed, path

    # a new name shows wherever the entry is shown: its brief and those of the entries linking it
    meeting.write_text(meeting.read_text().replace("Vladivostok summit", "Far East summit"), encoding="utf-8")
    renamed = build_pdfs(load_graph(content), config, out, workers=1)
    assert "briefs/meetings/2019-04-25-vladivostok-summit.pdf" in renamed.written
    assert "briefs/actors/kim-jong-un.pdf" in renamed.written  # lists its meetings
    assert "briefs/sources/un-resolution-1718.pdf" not in renamed.written

    (content / "meetings" / "2023-09-putin-kim-meeting.yaml").unlink()
    removed = build_pdfs(load_graph(content), config, out, workers=1)
    assert removed.removed == ["briefs/meetings/2023-09-putin-kim-meeting.pdf"]
    assert not (out / "briefs/meetings/2023-09-putin-kim-meeting.pdf").exists()


def test_an_interrupted_write_keeps_the_previous_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_tree(tmp_path / "content", VALID_TREE)
    config = Config(content_dir=content)
    out = tmp_path / "pdf"
    build_pdfs(load_graph(content), config, out, workers=1)
    before = (out / "briefing.pdf").read_bytes()
    meeting = content / "meetings" / "2019-04-25-vladivostok-summit.yaml"
    meeting.write_text(meeting.read_text().replace("First meeting", "A first meeting"), encoding="utf-8")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_pdfs(load_graph(content), config, out, workers=1)
    monkeypatch.undo()
    assert (out / "briefing.pdf").read_bytes() == before
    assert not [p for p in out.rglob("*.tmp")]
    rerun = build_pdfs(load_graph(content), config, out, workers=1)
    assert "briefs/meetings/2019-04-25-vladivostok-summit.pdf" in rerun.written


def test_a_run_killed_after_the_briefs_leaves_no_orphan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the new briefs were written but before their hashes: the next run, with
    one of those entries deleted meanwhile, removes its brief instead of leaving it forever."""
    content = write_tree(tmp_path / "content", VALID_TREE)
    config = Config(content_dir=content)
    out = tmp_path / "pdf"
    real_run_all = pdf_module.run_all

    def killed(jobs: list[Job], workers: int) -> list[Result]:
        real_run_all(jobs, workers)  # every PDF is on disk ...
        raise KeyboardInterrupt  # ... and the run dies before writing a single hash

    monkeypatch.setattr(pdf_module, "run_all", killed)
    with pytest.raises(KeyboardInterrupt):
        build_pdfs(load_graph(content), config, out, workers=1)
    monkeypatch.undo()
    orphan = out / "briefs/meetings/2023-09-putin-kim-meeting.pdf"
    assert orphan.is_file()

    (content / "meetings" / "2023-09-putin-kim-meeting.yaml").unlink()
    rerun = build_pdfs(load_graph(content), config, out, workers=1)
    assert rerun.removed == ["briefs/meetings/2023-09-putin-kim-meeting.pdf"]
    assert not orphan.exists()
    assert "briefs/meetings/2019-04-25-vladivostok-summit.pdf" in rerun.written  # its hash was never kept
    briefs = sorted(p.relative_to(out).as_posix() for p in out.glob("briefs/*/*.pdf"))
    assert len(briefs) == len(VALID_TREE) - 1


# ---------------------------------------------------------------- fonts, options, safety


def test_a_script_without_a_font_stops_with_the_script_file_and_package(
    small_pdfs: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pdf_fonts.fonts_covering

    def no_hangul(chars: str) -> tuple[str, ...]:
        return () if any("\uac00" <= c <= "\ud7a3" for c in chars) else real(chars)

    monkeypatch.setattr(pdf_fonts, "fonts_covering", no_hangul)
    with pytest.raises(ConfigError) as caught:
        build_pdfs(small_pdfs.graph, small_pdfs.config, tmp_path / "pdf")
    message = str(caught.value)
    assert "Hangul" in message and "fonts-noto-cjk" in message
    assert re.search(r"actors/(north-korea|kim-jong-un)\.yaml: ", message), message
    assert not (tmp_path / "pdf").exists()  # stopped before writing anything

    monkeypatch.chdir(small_pdfs.config.content_dir.parent)
    result = CliRunner().invoke(main, ["pdf", "--content", "content", "--out", str(tmp_path / "cli")])
    assert result.exit_code == 2
    assert "Hangul" in result.output and "apt-get install fonts-noto-cjk" in result.output


def test_cli_writes_the_pdfs_on_us_letter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path / "content", VALID_TREE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["pdf", "--paper", "letter", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert re.search(r"build/pdf: 11 written, 0 unchanged, 0 removed \(book: \d+ pages\)", result.stdout)
    box = PdfReader(tmp_path / "build/pdf/briefing.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    result = CliRunner().invoke(main, ["pdf", "--out", "content/pdf"])
    assert result.exit_code == 2 and "overlaps the content folder" in result.output


def test_curator_markup_is_printed_as_text_and_nothing_is_fetched(tmp_path: Path) -> None:
    tree = dict(VALID_TREE)
    tree["actors/russia.yaml"] = tree["actors/russia.yaml"].replace(
        "summary: The Russian Federation.",
        "summary: 'The <b>Russian</b> <img src=\"https://example.org/x.png\"> Federation <script>x()</script>'",
    )
    content = write_tree(tmp_path / "content", tree)
    out = tmp_path / "pdf"
    build_pdfs(load_graph(content), Config(content_dir=content), out, workers=1)
    text = norm(PdfReader(out / "briefs/actors/russia.pdf").pages[0].extract_text())
    assert "The <b>Russian</b>" in text and "<script>x()</script>" in text


def test_the_fetcher_refuses_the_network_and_files_outside_the_templates(tmp_path: Path) -> None:
    inside = tmp_path / "templates"
    inside.mkdir()
    (inside / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    fetcher = LocalOnly([inside])
    assert fetcher.fetch((inside / "logo.svg").as_uri()).read() == b"<svg/>"
    for url in ["https://example.org/x.css", (tmp_path / "secret.txt").as_uri(), "data:text/css,x"]:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_as_of_is_the_configured_date_or_the_latest_source_or_review(small_pdfs: Built) -> None:
    graph = small_pdfs.graph
    assert as_of(graph) == "2023-09-04?"  # the newest "published" of the tree
    assert as_of(graph, "2024-01") == "2024-01"
    with pytest.raises(ConfigError, match="as_of"):
        as_of(graph, "January 2024")
    text = " ".join(small_pdfs.book_pages)
    assert "As of 4 September 2023?" in text


# ---------------------------------------------------------------- the site


@pytest.mark.parametrize("serving", [False, True])
def test_the_plugin_builds_the_pdfs_into_the_site_but_not_while_serving(
    tmp_path: Path, serving: bool
) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_config

    write_tree(tmp_path / "content", VALID_TREE)
    (tmp_path / "docs").mkdir()
    yml = mkdocs_yml(site_name="Small briefing", pdf="true", as_of='"2024-01"')
    (tmp_path / "mkdocs.yml").write_text(yml, encoding="utf-8")
    site = tmp_path / "site"
    config = mkdocs_config(str(tmp_path / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve" if serving else "build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    kim = (site / "actors" / "kim-jong-un" / "index.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    if serving:  # no PDFs, and no links to them
        assert not (site / "pdf").exists()
        assert ".pdf" not in kim and ".pdf" not in home
        return
    assert (site / "pdf" / "briefing.pdf").is_file()
    assert (site / "pdf" / "briefs" / "actors" / "kim-jong-un.pdf").is_file()
    # each entry page links its brief and the home page the book, as relative links that land
    assert re.search(r'<a href="../../pdf/briefs/actors/kim-jong-un.pdf">Printable brief \(PDF\)</a>', kim)
    assert re.search(r'<a href="pdf/briefing.pdf">Briefing book \(PDF\)</a>', home)
    for page in site.rglob("index.html"):
        for href in re.findall(r'href="([^"#]+\.pdf)"', page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().is_file(), (page, href)
    assert not [p for p in site.rglob(".*") if p.is_file()]  # no hashes or cached parts in the site
    assert "As of January 2024" in norm(PdfReader(site / "pdf" / "briefing.pdf").pages[1].extract_text())


def test_the_default_briefing_builds_its_pdfs_into_the_site_when_ci_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs.yml says ``pdf: !ENV [FACTSHEET_PDF, false]``: off by default (and while serving),
    on where the Pages workflow sets FACTSHEET_PDF=true; then a strict build of the default
    briefing holds every brief and the book, and every page's PDF link lands."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_config

    monkeypatch.delenv("FACTSHEET_PDF", raising=False)
    assert load_config(REPO / "mkdocs.yml").pdf is False
    monkeypatch.setenv("FACTSHEET_PDF", "true")
    assert load_config(REPO / "mkdocs.yml").pdf is True
    site = tmp_path / "site"
    config = mkdocs_config(str(REPO / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    graph = load_graph(REPO / "content")
    briefs = {p.relative_to(site / "pdf" / "briefs").as_posix() for p in site.glob("pdf/briefs/*/*.pdf")}
    assert briefs == {f"{graph.kind(i)}/{i}.pdf" for i in graph.records}
    assert (site / "pdf" / "briefing.pdf").stat().st_size > 100_000
    linked = 0
    for page in site.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+\.pdf)"', page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().is_file(), (page, href)
            linked += 1
    assert linked == len(graph.records) + 1  # every entry page its brief, the home page the book
