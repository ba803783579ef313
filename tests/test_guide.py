"""The curator's guide (generator/guide/): every example checked, every field covered, a strict build.

How the examples are marked (the first line of each ```yaml block; see the guide's index):

- ``# content/<kind>/<id>.yaml``: a whole entry. All of them together are written into one
  content folder, which ``factsheet check`` must accept: the examples form one small,
  consistent briefing, and an entry shown twice must be shown the same both times.
- ``# wrong: content/<kind>/<id>.yaml``: a whole file that check must refuse. The next
  fenced block is ```console``: ``$ factsheet check`` and exactly what it prints when the
  file is added to (or replaces its namesake in) the briefing.
- ``# fragment of content/<kind>/<id>.yaml``: some top-level fields of a whole entry of the
  guide. They replace the fields of the same name in that entry (or are added), and
  check must accept the briefing with the entry so changed.
- ``# fragment of mkdocs.yml``: top-level settings put in place of those of the
  ``mkdocs.yml`` that ``factsheet init`` writes; MkDocs (strict) and factsheet must accept
  the result, and the briefing must build with it.

Any other ```yaml block fails the test, as does a fence of a language not listed in
:data:`LANGUAGES`. Other ```console blocks run ``factsheet check`` on the briefing and must
show its output (a line ``...`` stands for any number of lines). Every ``factsheet`` and
``mkdocs`` command in a code block or a code span must exist with the options shown.
"""

from __future__ import annotations

import re
import shlex
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from markdown.extensions.toc import slugify
from mkdocs.__main__ import cli as mkdocs_cli
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_load_config

from generator import dates
from generator.build import build
from generator.cli import main
from generator.config import load_config
from generator.guide import GUIDE_NAV, guide_pages
from generator.model import KINDS, Alias, Citation, Claim, Common, Entry, NativeName, Place, Role, Source
from generator.scaffold import project_files

REPO = Path(__file__).resolve().parents[1]
GUIDE_DIR = REPO / "generator" / "guide"
PAGES = {page.path: page for page in guide_pages()}
FORMAT_PAGE = "guide/format.md"
DATES_PAGE = "guide/dates.md"

LANGUAGES = {"yaml", "console", "sh", "text"}
"""Fence languages the guide may use: yaml and console blocks are checked as examples and
output, sh blocks as commands, text blocks (a folder layout) are prose."""

_KINDS = "|".join(k.folder for k in KINDS)
_ENTRY = rf"content/(?:{_KINDS})/[a-z0-9]+(?:-[a-z0-9]+)*\.yaml"
WHOLE = re.compile(rf"# ({_ENTRY})")
WRONG = re.compile(rf"# wrong: ({_ENTRY})")
FRAGMENT = re.compile(rf"# fragment of ({_ENTRY}|mkdocs\.yml)")
MKDOCS_YML = "mkdocs.yml"


# ---------------------------------------------------------------- reading the guide


@dataclass(frozen=True)
class Block:
    """One fenced code block of a guide page."""

    page: str
    line: int  # of the opening fence, from 1
    lang: str
    text: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0]


@dataclass(frozen=True)
class Example:
    block: Block
    role: str  # "entry", "wrong" or "fragment"
    target: str  # the file it is (a part of)
    output: Block | None = None  # for "wrong": what check prints


_FENCE = re.compile(r"(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<lang>[\w-]*)\s*")


def code_blocks(page: str, text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _FENCE.fullmatch(lines[i])
        if match:
            indent, fence, start = len(match["indent"]), match["fence"], i
            body: list[str] = []
            i += 1
            while i < len(lines) and lines[i].strip() != fence:
                body.append(lines[i][indent:])
                i += 1
            assert i < len(lines), f"{page}:{start + 1}: unclosed code block"
            blocks.append(Block(page, start + 1, match["lang"], "\n".join(body) + "\n"))
        i += 1
    return blocks


def prose(text: str) -> str:
    """The page without its fenced code blocks."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.fullmatch(line)
        if fence is None and match:
            fence = match["fence"]
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            out.append(line)
    return "\n".join(out)


BLOCKS = [block for path, page in PAGES.items() for block in code_blocks(path, page.text)]


def classify() -> tuple[list[Example], list[Block], list[str]]:
    """The YAML examples, the console blocks that show `check` on the briefing, and problems."""
    examples: list[Example] = []
    runs: list[Block] = []
    problems: list[str] = []
    blocks = BLOCKS
    paired: set[Block] = set()
    for i, block in enumerate(blocks):
        if block.lang not in LANGUAGES:
            problems.append(f"{block}: ```{block.lang} block: use one of {sorted(LANGUAGES)}")
        if block.lang == "yaml":
            first = block.first_line
            if m := WHOLE.fullmatch(first):
                examples.append(Example(block, "entry", m[1]))
            elif m := FRAGMENT.fullmatch(first):
                examples.append(Example(block, "fragment", m[1]))
            elif m := WRONG.fullmatch(first):
                following = blocks[i + 1] if i + 1 < len(blocks) else None
                if following is None or following.page != block.page or following.lang != "console":
                    problems.append(f"{block}: a '# wrong:' example must be followed by a ```console block")
                else:
                    paired.add(following)
                    examples.append(Example(block, "wrong", m[1], following))
            else:
                problems.append(
                    f"{block}: unmarked YAML example (first line {first!r}); start it with "
                    "'# content/<kind>/<id>.yaml', '# wrong: ...' or '# fragment of ...'"
                )
    for block in blocks:
        if block.lang == "console" and block not in paired:
            runs.append(block)
    return examples, runs, problems


EXAMPLES, CHECK_RUNS, PROBLEMS = classify()
ENTRIES = [e for e in EXAMPLES if e.role == "entry"]
WRONGS = [e for e in EXAMPLES if e.role == "wrong"]
FRAGMENTS = [e for e in EXAMPLES if e.role == "fragment"]


def briefing() -> dict[str, str]:
    """The guide's example briefing: every whole entry, by path."""
    files: dict[str, str] = {}
    for example in ENTRIES:
        earlier = files.setdefault(example.target, example.block.text)
        assert earlier == example.block.text, (
            f"{example.block}: {example.target} differs from its earlier example"
        )
    return files


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:(?:\s|$)")


def merged(base: str, fragment: str) -> str:
    """``base`` with the top-level fields of ``fragment`` in place of its own (others added)."""
    data = yaml.safe_load(fragment)
    assert isinstance(data, dict) and data, "a fragment is a mapping of top-level fields"
    kept: list[str] = []
    skipping = False
    for line in base.rstrip("\n").split("\n"):
        key = _TOP_KEY.match(line)
        if key:  # a new top-level field; other lines (indented, list items, comments) continue one
            skipping = key[1] in data
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n" + fragment


def check(root: Path, files: dict[str, str], args: list[str], monkeypatch: pytest.MonkeyPatch) -> Result:
    """``factsheet check`` run in ``root`` holding ``files``, as a curator runs it."""
    write(root, files)
    monkeypatch.chdir(root)
    return CliRunner().invoke(main, ["check", *args], prog_name="factsheet")


def shown_run(block: Block) -> tuple[list[str], list[str]]:
    """The arguments of `factsheet check` in a console block, and the output it shows."""
    command, *output = block.text.rstrip("\n").split("\n")
    assert command.startswith("$ "), f"{block}: a console block starts with '$ factsheet check'"
    args = shlex.split(command[2:])
    assert args[:2] == ["factsheet", "check"], f"{block}: only `factsheet check` output is shown"
    return args[2:], output


def output_matches(shown: list[str], actual: str) -> bool:
    """Whether ``actual`` is what ``shown`` shows, a line ``...`` standing for any lines."""
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in shown)
    return re.fullmatch(pattern, actual.rstrip("\n") + "\n") is not None


def ids(examples: list[Example]) -> list[str]:
    return [str(e.block) for e in examples]


# ---------------------------------------------------------------- (1) the examples


def test_every_example_is_marked_and_checked() -> None:
    assert not PROBLEMS, "\n".join(PROBLEMS)
    yaml_blocks = [b for b in BLOCKS if b.lang == "yaml"]
    assert len(EXAMPLES) == len(yaml_blocks)
    assert len(ENTRIES) >= 9 and len(WRONGS) >= 8 and len(FRAGMENTS) >= 6, (
        len(ENTRIES),
        len(WRONGS),
        len(FRAGMENTS),
    )
    kinds = {e.target.split("/")[1] for e in ENTRIES}
    assert kinds == {k.folder for k in KINDS}, "the briefing has an entry of every kind"
    assert CHECK_RUNS, "the guide shows what check prints for a good briefing"


def test_whole_entries_form_one_briefing_that_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = briefing()
    result = check(tmp_path, files, [], monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"content: {len(files)} entries OK" in result.output


@pytest.mark.parametrize("example", WRONGS, ids=ids(WRONGS))
def test_wrong_example_is_refused_with_the_message_shown(
    example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert example.output is not None
    args, shown = shown_run(example.output)
    assert "..." not in shown, f"{example.output}: show the whole output of a wrong example"
    assert any(line.startswith(f"{example.target}:") for line in shown), (
        f"{example.output}: the message names {example.target}"
    )
    result = check(tmp_path, {**briefing(), example.target: example.block.text}, args, monkeypatch)
    assert result.exit_code == 1, result.output
    assert result.output.rstrip("\n").split("\n") == shown, f"{example.output}: check prints\n{result.output}"


@pytest.mark.parametrize("example", FRAGMENTS, ids=ids(FRAGMENTS))
def test_fragment_fits_its_file(example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = briefing()
    if example.target == MKDOCS_YML:
        check_mkdocs_fragment(example, files, tmp_path, monkeypatch)
        return
    assert example.target in files, f"{example.block}: {example.target} is not a whole example of the guide"
    changed = merged(files[example.target], example.block.text)
    result = check(tmp_path, {**files, example.target: changed}, [], monkeypatch)
    assert result.exit_code == 0, f"{example.block}:\n{result.output}\n{changed}"


def check_mkdocs_fragment(
    example: Example, files: dict[str, str], root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings merged into the mkdocs.yml of `factsheet init`: MkDocs and factsheet accept
    them, and the example briefing builds with them."""
    base = project_files("Guide")[MKDOCS_YML].decode("utf-8")
    settings = merged(base, example.block.text)
    write(root, {**files, MKDOCS_YML: settings})
    (root / "docs").mkdir()
    monkeypatch.chdir(root)
    mkdocs_load_config(str(root / MKDOCS_YML), strict=True)  # raises on any error or warning
    config = load_config(root / MKDOCS_YML)
    build(config)  # the options in use (an as_of date, say) are read and accepted
    result = CliRunner().invoke(main, ["check", "--config", MKDOCS_YML], prog_name="factsheet")
    assert result.exit_code == 0, f"{example.block}:\n{result.output}"


@pytest.mark.parametrize("block", CHECK_RUNS, ids=[str(b) for b in CHECK_RUNS])
def test_check_output_shown_is_what_check_prints(
    block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, shown = shown_run(block)
    result = check(tmp_path, briefing(), args, monkeypatch)
    assert result.exit_code == 0, result.output
    assert output_matches(shown, result.output), f"{block}: check prints\n{result.output}"


def test_merging_a_fragment() -> None:
    base = "# c\nname: A\nsources:\n- x\n- y\nsummary: >-\n  long\n# trailing\ntype: state\n"
    assert merged(base, "# f\nsources: [z]\nreviewed: '2024'\n") == (
        "# c\nname: A\nsummary: >-\n  long\n# trailing\ntype: state\n# f\nsources: [z]\nreviewed: '2024'\n"
    )


def test_output_matching() -> None:
    assert output_matches(["a", "...", "d"], "a\nb\nc\nd\n")
    assert output_matches(["a", "...", "b"], "a\nb\n")
    assert not output_matches(["a", "d"], "a\nb\nd\n")
    assert not output_matches(["a"], "a\nb\n")


# ---------------------------------------------------------------- commands named in the guide

_SPAN = re.compile(r"`((?:\.venv/bin/)?(?:factsheet|mkdocs) [^`]+)`")


def command_lines() -> list[tuple[str, str, bool]]:
    """(where, command line, complete): complete lines come from code blocks and are parsed
    whole; a code span in the text may name a command without its arguments."""
    found: list[tuple[str, str, bool]] = []
    for block in BLOCKS:
        if block.lang == "sh":
            for line in block.text.split("\n"):
                line = re.sub(r"\s+#.*$", "", line).strip()
                if line and not line.startswith("#"):
                    found.append((str(block), line, True))
        elif block.lang == "console":
            found.append((str(block), block.first_line.removeprefix("$ "), True))
    for path, page in PAGES.items():
        for span in _SPAN.findall(prose(page.text)):
            found.append((path, span, False))
    return found


def test_commands_named_in_the_guide_exist() -> None:
    lines = command_lines()
    assert len(lines) >= 20
    for where, line, complete in lines:
        program, name, *args = shlex.split(line)
        program = program.removeprefix(".venv/bin/")
        group = main if program == "factsheet" else mkdocs_cli
        commands = main.commands if program == "factsheet" else mkdocs_cli.commands
        command = commands.get(name)
        assert command is not None, f"{where}: `{line}`: {program} has no command {name!r}"
        options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
        for arg in args:
            if arg.startswith("-"):
                assert arg.split("=")[0] in options, f"{where}: `{line}`: no option {arg}"
        if complete and group is main:  # arguments, choices and values as click reads them
            with command.make_context(f"factsheet {name}", list(args)):
                pass


# ---------------------------------------------------------------- (2) the format reference is complete


def section(text: str, title: str) -> str:
    """The ``## title`` section of a page (to the next ``## ``)."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section '## {title}'"
    return match.group(1)


def named(text: str) -> set[str]:
    """Everything written as code in ``text``'s prose and tables."""
    return set(re.findall(r"`([^`\n]+)`", prose(text)))


def literal_values(annotation: Any) -> set[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return {str(v) for v in typing.get_args(annotation)}
    return set().union(*(literal_values(a) for a in typing.get_args(annotation)))


FORMAT = PAGES[FORMAT_PAGE].text
SECTIONS: list[tuple[str, type[Common] | type[Claim], set[str]]] = [
    ("Fields every entry has", Entry, set()),
    *(
        (k.title, k.model, set(Entry.model_fields if k.model is not Source else Common.model_fields))
        for k in KINDS
    ),
    ("Claims", Claim, set()),
]


@pytest.mark.parametrize(("title", "model", "inherited"), SECTIONS, ids=[s[0] for s in SECTIONS])
def test_format_reference_names_every_field_of_the_model(
    title: str, model: type[Common] | type[Claim], inherited: set[str]
) -> None:
    """Each kind's own fields (and the values of its choices) in its section of the reference."""
    text = section(FORMAT, title)
    fields = set(model.model_fields) - inherited
    assert fields - named(text) == set(), f"'## {title}' does not name these fields"
    values = set().union(
        *(literal_values(f.annotation) for n, f in model.model_fields.items() if n in fields)
    )
    assert values - named(text) == set(), f"'## {title}' does not name these values"


def test_format_reference_names_every_field_of_the_parts() -> None:
    everything = named(FORMAT)
    for part in (Alias, NativeName, Citation, Place, Role):
        missing = set(part.model_fields) - everything
        assert not missing, f"{part.__name__}: {missing}"


def test_format_reference_names_every_field_of_the_contract() -> None:
    """Every field in the tables of docs/content-format.md is in the guide's reference."""
    contract = (REPO / "docs" / "content-format.md").read_text(encoding="utf-8")
    fields: set[str] = set()
    in_table = False
    for line in contract.split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if not cells:
            in_table = False
        elif cells[0] == "field":
            in_table = True
        elif in_table and not set(cells[0]) <= set("-: "):
            fields.update(re.findall(r"`([^`]+)`", cells[0]))
    assert len(fields) >= 25, fields
    assert fields - named(FORMAT) == set()


# ---------------------------------------------------------------- dates shown as the site shows them

_DATE_ROW = re.compile(r'^\| `"([^"`]+)"` \|.*\| ([^|]+?) \|$', re.M)


def test_dates_table_shows_what_the_site_shows() -> None:
    rows = _DATE_ROW.findall(PAGES[DATES_PAGE].text)
    assert len(rows) >= 12
    parsed = []
    for edtf, shown in rows:
        assert dates.display(edtf) == shown, edtf
        parsed.append(dates.parse_edtf(edtf))
    days = [d for d in parsed if isinstance(d, dates.EdtfDate)]
    spans = [d for d in parsed if isinstance(d, dates.EdtfInterval)]
    assert any(d.day and not (d.approximate or d.uncertain) for d in days), "a day"
    assert any(d.month and d.month <= 12 and d.day is None for d in days), "a month"
    assert any(d.year and d.month is None and not d.unspecified_year_digits for d in days), "a year"
    assert any(d.approximate and not d.uncertain for d in days), "approximate"
    assert any(d.uncertain and not d.approximate for d in days), "uncertain"
    assert any(d.start and d.end for d in spans), "an interval"
    assert any(d.start and d.end is None and not d.open_end for d in spans), "an unknown end"
    assert any(d.start and d.open_end for d in spans), "an open end"


def test_dates_the_text_says_the_site_shows_are_what_it_shows() -> None:
    """`the site shows "..."` in the prose: the display of a date written in the guide."""
    everything = "\n".join(page.text for page in PAGES.values())
    displayed = set()
    for text in set(re.findall(r'"([^"\s]+)"', everything)):
        try:
            displayed.add(dates.display(text))
        except dates.EdtfError:
            continue
    claims = re.findall(r'site shows "([^"]+)"', " ".join(prose(p.text) for p in PAGES.values()))
    assert len(claims) >= 2
    for claim in claims:
        assert claim.split(" (“")[0] in displayed, claim


# ---------------------------------------------------------------- (3) pages, links, strict build


def test_guide_pages_returns_every_file_titled_by_its_heading() -> None:
    files = sorted(p.name for p in GUIDE_DIR.glob("*.md"))
    assert sorted(path.removeprefix("guide/") for path in PAGES) == files
    assert [page.path for page in guide_pages()] == [path for _, path in GUIDE_NAV]
    assert len(files) >= 6
    for title, path in GUIDE_NAV:
        page = PAGES[path]
        assert page.in_nav and page.title == title
        assert page.text.startswith(f"# {title}\n")
        assert len(re.findall(r"^# ", prose(page.text), re.M)) == 1, f"{path}: one '# ' heading"
    assert GUIDE_NAV[0][1] == "guide/index.md"


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(text: str) -> set[str]:
    return {slugify(h, "-") for h in re.findall(r"^#{1,6} (.+?)\s*$", prose(text), re.M)}


def test_links_between_guide_pages_resolve() -> None:
    count = 0
    for path, page in PAGES.items():
        text = re.sub(r"`[^`\n]+`", "", prose(page.text))
        for target in _LINK.findall(text):
            if re.match(r"https?://", target):
                continue
            assert re.fullmatch(r"[a-z0-9-]+\.md(#[a-z0-9-]+)?|#[a-z0-9-]+", target), (
                f"{path}: link {target!r}: only web addresses and other guide pages (x.md, x.md#anchor)"
            )
            name, _, anchor = target.partition("#")
            linked = f"guide/{name}" if name else path
            assert linked in PAGES, f"{path}: link to a missing page {target!r}"
            assert not anchor or anchor in anchors(PAGES[linked].text), f"{path}: no anchor {target!r}"
            count += 1
    assert count >= 10


TINY_MKDOCS_YML = """\
site_name: Guide
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


def test_guide_builds_with_mkdocs_strict(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for page in guide_pages():
        (docs / page.path).write_text(page.text, encoding="utf-8")
    nav = yaml.safe_dump(
        {"nav": [{"Home": "index.md"}, {"Curator's guide": [{title: path} for title, path in GUIDE_NAV]}]},
        allow_unicode=True,
    )
    (tmp_path / "mkdocs.yml").write_text(TINY_MKDOCS_YML + nav, encoding="utf-8")
    site = tmp_path / "site"
    config = mkdocs_load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    for _, path in GUIDE_NAV:
        built = site / path.removesuffix(".md").removesuffix("index") / "index.html"
        assert built.is_file(), built
