"""A hostile corpus: curator text that tries to reach readers as markup, script, template code or a load.

Shared by ``test_hostile_site.py`` (every attack, every field, every generated page and the
search index) and ``browser/test_hostile_browser.py`` (a few builds in Chromium).

Placement: :data:`SLOTS` are the text positions of a small valid tree holding all five
kinds (every text field of every kind, plus the plugin's ``description``
in ``mkdocs.yml``). :func:`values_for` puts one attack into every slot, so one build tries
that attack in every field; :func:`mixed_values` spreads many attacks over the slots (for
the browser). A field that ``factsheet check`` refuses gets benign text instead
(:func:`accept`), so the fields it accepts are still built and scanned. Payloads are numbered
by slot (``alert(137)``, ``evil.example/n137/``), so a finding names the field it came from.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import tinyhtml5  # the WHATWG parser WeasyPrint uses: parses as Chromium does
import yaml

# ------------------------------------------------------------------ the corpus


@dataclass(frozen=True)
class Attack:
    id: str
    text: str
    web_link: bool = False
    """A plain ``https://evil.example/...`` web link: a navigation link to that host is allowed."""

    @property
    def control(self) -> bool:
        """Holds a C0 control character the loader refuses (a located error is the outcome)."""
        return any(ord(c) < 32 and c not in "\t\n" for c in self.text)


IMG = "<img src=x onerror=alert(1)>"
PWN = "window.__fs_pwned=1"

_CORPUS: list[tuple[str, str]] = [
    # tags that run script, in every dress
    ("img-onerror", IMG),
    ("name-header", "Summit <img src=x onerror=alert(document.domain)>"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("input-autofocus", "<input autofocus onfocus=alert(1)>"),
    ("script-tag", f"<script>{PWN}</script>"),
    ("svg-script", f"<svg><script>{PWN}</script></svg>"),
    ("mathml-mglyph", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>'),
    ("raw-a-js", '<a href="javascript:alert(1)">x</a>'),
    ("html-comment", f"<!-- --><img src=x onerror=alert(1)><!-- --!><script>{PWN}</script>"),
    ("cdata", "<![CDATA[><img src=x onerror=alert(1)>]]>"),
    # javascript:, data:, vbscript: links in every spelling
    ("js-link", "[click](javascript:alert(1))"),
    ("js-link-case", "[click](JaVaScRiPt:alert(1))"),
    ("js-link-angle-space", "[click](<  javascript:alert(1)>)"),
    ("js-link-tab", "[click](<java\tscript:alert(1)>)"),
    ("js-link-newline", "[click](<java\nscript:alert(1)>)"),
    ("js-link-nbsp", "[click](\u00a0javascript:alert(1))"),
    ("js-entity-dec", "[click](&#106;avascript:alert(1))"),
    ("js-entity-hex-tab", "[click](java&#x09;script:alert(1))"),
    ("js-entity-colon", "[click](javascript&colon;alert(1))"),
    ("data-link", "[click](data:text/html,<script>alert(1)</script>)"),
    ("vbscript-link", "[click](vbscript:alert(1))"),
    ("js-nested-brackets", "[a [b [c]]](javascript:alert(1))"),
    ("js-nested-parens", "[x](javascript:alert((2)))"),
    ("js-refdef-nextline", "[x][r]\n\n[r]:\n    javascript:alert(3)"),
    ("js-refdef-quote", "> [r]: javascript:alert(4)\n\n[x][r]"),
    ("js-refdef-list", "- [r]: javascript:alert(5)\n\n[x][r]"),
    ("js-escaped-backtick", "\\`[x](javascript:alert(5))`"),
    ("js-autolink", "<javascript:alert(1)>"),
    ("js-title-quote", '[x](https://example.org/ "t\\" onmouseover=\\"alert(1)")'),
    # images and other remote loads
    ("image-inline", "![x](https://evil.example/p.png)"),
    ("image-ref", "![x][i]\n\n[i]: http://evil.example/tracker.png"),
    ("image-ref-quote", "> ![x][i]\n>\n> [i]: https://evil.example/q.png"),
    ("image-ref-list", "- ![x][i]\n\n- [i]: https://evil.example/l.png"),
    ("image-html-srcset", '<img srcset="https://evil.example/s.png 1x" alt=x>'),
    (
        "video-poster",
        "<video poster=https://evil.example/p.png><source src=https://evil.example/v.mp4></video>",
    ),
    ("iframe", '<iframe src="https://evil.example/frame"></iframe>'),
    ("object-embed", '<object data="https://evil.example/o"></object><embed src="https://evil.example/e">'),
    ("base-href", '<base href="https://evil.example/">Kim'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
    ("link-css", "<link rel=stylesheet href=https://evil.example/x.css>"),
    ("style-block", "<style>body{background:url(https://evil.example/bg.png)}</style>"),
    (
        "form-action",
        '<form action="https://evil.example/steal"><button formaction="javascript:alert(1)">go</button></form>',
    ),
    ("div-onclick", '<div onclick="alert(1)">click</div>'),
    ("md-in-html", '<div markdown="1" onmouseover="alert(1)">*x*</div>'),
    # plain web links: a link to evil.example is fine, a load from it is not
    ("web-link", "[read](https://evil.example/page)"),
    ("web-autolink", "<https://evil.example/auto>"),
    (
        "web-url-encoded",
        "https://evil.example/?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E#javascript:alert(1)",
    ),
    # attr_list braces
    ("attr-onclick", 'para\n{: onclick="alert(1)" }'),
    ("attr-autofocus", "para\n{: tabindex=0 autofocus onfocus=alert(1) }"),
    ("attr-style", 'para\n{: style="background:url(https://evil.example/pixel.png)" }'),
    ("attr-heading", "## Heading { #id .class onmouseover=alert(1) }"),
    ("attr-setext", "Heading\n=======\n{: onmouseover=alert(1) }"),
    ("attr-line-end", "text *x*{: onmouseover=alert(1) }"),
    ("attr-link", "[x](https://example.org/){: onclick=alert(1) }"),
    ("attr-table", "| a | b |\n|---|---|\n| x{: onclick=alert(1) } | y |"),
    # closing the elements curator text may land in
    ("close-title", f"</title><script>{PWN}</script>"),
    ("close-textarea", "</textarea><img src=x onerror=alert(1)>"),
    ("close-script", f"</script><script>{PWN}</script>"),
    ("close-style", "</style><img src=x onerror=alert(1)>"),
    ("close-attr", '"><img src=x onerror=alert(1)>'),
    ("close-attr-single", "'><svg onload=alert(1)>"),
    # template code
    ("jinja-concat", '{{ "fs" ~ "pwned" }}'),
    ("jinja-mult", "{{ 7*191 }}"),
    ("jinja-set", '{% set x = "fs" ~ "pwned" %}{{ x }}'),
    ("jinja-raw-break", "{% endraw %}{{ 7*191 }}{% raw %}"),
    # front matter
    ("front-matter", "---\ntitle: x<img src=x onerror=alert(1)>\n---"),
    ("front-matter-mid", 'x\n---\ntitle: "<img src=x onerror=alert(1)>"\nsearch: {exclude: true}\n---'),
    # Markdown escapes, lists, indentation, code
    ("escaped-backtick", "\\`<img src=x onerror=alert(1)>`"),
    ("indented-continuation", "para\n    <img src=x onerror=alert(2)>"),
    ("mismatched-backticks", "`` <img src=x onerror=alert(3)> ```"),
    ("fence-one-line", "~~~\n<img src=x onerror=alert(4)>\n~~~"),
    ("unclosed-fence", "x\n\n```\n<img src=x onerror=alert(5)>"),
    ("nested-list", "- a\n    - <img src=x onerror=alert(6)>\n        <svg onload=alert(7)>"),
    ("list-indented-code", "- item\n\n        <img src=x onerror=alert(8)>"),
    ("blank-line-html", "x\n\n<img src=x onerror=alert(2)>"),
    ("backtick-break", "x` <img src=x onerror=alert(1)> `y"),
    ("backslash-lt", "\\<img src=x onerror=alert(1)>"),
    ("entity-lt", "&lt;img src=x onerror=alert(1)&gt;"),
    ("entity-numeric-lt", "&#60;img src=x onerror=alert(1)&#62;"),
    # tables and pipes
    ("pipe-break", "a | <img src=x onerror=alert(1)> |\n|---|---|"),
    ("pipe-row", "| x | y |\n|---|---|\n| <svg onload=alert(1)> | z |"),
    # odd Unicode and control characters (C0 is refused by the loader with a located error)
    ("homoglyph-keyword", "јаvаѕсrірt-аlеrt-1"),  # Cyrillic look-alikes: a valid keyword, shown as text
    ("rtl-keyword", "\u05e9\u05dc\u05d5\u05dd-\u0645\u0631\u062d\u0628\u0627-alert"),
    ("rtl-override", "\u202egnp.exe <img src=x onerror=alert(1)>\u202c"),
    ("zero-width", "<im\u200bg src=x onerror=alert(1)>[x](java\u200bscript:alert(1))"),
    ("fullwidth", "\uff1cimg src=x onerror=alert(1)\uff1e"),
    ("long-unicode", "\U0001d54f" * 400 + " <svg onload=alert(1)>"),
    ("control-chars", "\x00<img src=x onerror=alert(1)>\x1b[31m\x08"),
]

ATTACKS: list[Attack] = [Attack(i, t, web_link=i.startswith("web-")) for i, t in _CORPUS]
assert len({a.id for a in ATTACKS}) == len(ATTACKS), "attack ids must be unique"

BENIGN = "benign"
"""Text put into a refused field, and into every field of the baseline build."""

# markers of a template expression that was evaluated; no attack spells them out
EVALUATED = ("fspwned", "1337")
assert not any(m in a.text for a in ATTACKS for m in EVALUATED)


# ------------------------------------------------------------------ where attacks go


@dataclass(frozen=True)
class Slot:
    """One text position: a content file (``actors/person-a``) or ``mkdocs.yml``, and a path in it."""

    file: str
    path: tuple[str | int, ...]
    wrap: str = "{}"
    """How the attack is embedded (a url must stay a web address; aliases must differ from the name)."""

    def fill(self, text: str) -> str:
        """The value this slot gets for ``text``: a web address goes into a url as it is."""
        if self.path == ("url",) and text.startswith(("https://", "http://")):
            return text
        return self.wrap.format(text)

    @property
    def kind(self) -> str:
        return self.file.split("/")[0]

    @property
    def field(self) -> str:
        """The located form ``check`` prints: ``claims[0].text``."""
        return format_path(self.path)

    @property
    def label(self) -> str:
        return f"{self.file}:{self.field}"


def format_path(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _S:
    """A slot in the template tree below."""

    def __init__(self, wrap: str = "{}") -> None:
        self.wrap = wrap


def _claim(**extra: Any) -> dict[str, Any]:
    return {
        "id": "c1",
        "text": _S(),
        **extra,
        "attribution": _S(),
        "source": "src-article",
        "locator": _S(),
        "date": "2023-09",
        "date_text": _S(),
    }


def _common(claim: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": _S(),
        "summary": _S(),
        "body": _S(),
        "notes": _S(),
        "aliases": [_S("aka {}"), {"name": _S("{} (aka)"), "lang": "ko", "note": _S()}],
        "tags": [_S()],
        "claims": [claim or _claim()],
        "reviewed": "2024-01-02",
        "reviewed_text": _S(),
    }


def _cited() -> dict[str, Any]:
    return {"sources": [{"source": "src-article", "locator": _S(), "note": _S()}]}


# Every kind, every text field. Ids are fixed; every other value is fixed or a slot.
_TEMPLATE: dict[str, dict[str, Any]] = {
    "sources/src-article": {
        **_common(),
        "publisher": _S(),
        "published": "2023-09-04",
        "published_text": _S(),
        "url": _S("https://x.example/{}"),
        "retrieved": "2024-04-28",
        "retrieved_text": _S(),
        "reliability": "B",
    },
    "actors/state-a": {
        **_common(),
        "type": "state",
        "native_name": {"name": _S(), "lang": "ko"},
        **_cited(),
    },
    "actors/person-a": {
        **_common(_claim(by="person-a", about=["state-a"])),
        "type": "person",
        "country": "state-a",
        "native_name": {"name": _S(), "lang": "ko"},
        "roles": [
            {
                "title": _S(),
                "of": "state-a",
                "start": "2011-12",
                "start_text": _S(),
                "end": "2024",
                "end_text": _S(),
            }
        ],
        **_cited(),
    },
    "meetings/meeting-a": {
        **_common(),
        "date": "2019-04-25",
        "date_text": _S(),
        "place": {"name": _S()},
        "participants": ["person-a", "state-a"],
        "host": "state-a",
        "status": "planned",
        "outcomes": [_S()],
        **_cited(),
    },
    "sanctions/sanction-a": {
        **_common(),
        "imposed_by": ["state-a"],
        "targets": ["person-a"],
        "date": "2006-10-14",
        "date_text": _S(),
        "legal_basis": [_S()],
        "measures": [_S()],
        "status": "in-force",
        "reason": _S(),
        **_cited(),
    },
    "events/event-a": {
        **_common(_claim(disputes=["person-a#c1"], about=["state-a"])),
        "type": "transfer",
        "date": "2023-09-04",
        "date_text": _S(),
        "place": {"name": _S()},
        "actors": ["state-a"],
        "supplier": "state-a",
        "recipient": "person-a",
        "items": [_S()],
        "status": "alleged",
        **_cited(),
    },
    "mkdocs.yml": {
        # site_name is configuration, trusted like code (mkdocs.yml can load hooks): the theme
        # prints it as it is, so it holds no attack here
        "site_name": "Site",
        "plugins": ["search", {"factsheet": {"content": "content", "description": _S()}}],
    },
}

MKDOCS_FIXED: dict[str, Any] = {
    "docs_dir": "docs",
    "theme": {"name": "material", "font": False, "language": "en", "features": ["navigation.top"]},
    # the project's own extensions: attr_list and md_in_html are what curator text must not reach
    "markdown_extensions": ["attr_list", "md_in_html", "admonition", "tables", {"toc": {"permalink": True}}],
    "validation": {
        "omitted_files": "warn",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
        "anchors": "warn",
    },
}


def _walk(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], _S]]:
    if isinstance(value, _S):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, i))


SLOTS: list[Slot] = [
    Slot(file, path, s.wrap) for file, data in _TEMPLATE.items() for path, s in _walk(data, ())
]
KINDS = ("sources", "actors", "meetings", "sanctions", "events")
ENTITY_FILES = [f for f in _TEMPLATE if f != "mkdocs.yml"]

Values = Mapping[Slot, str]


def numbered(text: str, n: int) -> str:
    """The attack with its payload numbered: ``alert(n)``, ``__fs_pwned=n``, ``evil.example/n<n>/``.

    The number names the slot (:func:`fields_named`), so a finding says which field let it out.
    """
    text = re.sub(r"alert\(\d+\)", f"alert({n})", text)
    return text.replace("__fs_pwned=1", f"__fs_pwned={n}").replace("evil.example/", f"evil.example/n{n}/")


FIRST_NUMBER = 100
"""Slot ``i`` carries the number ``FIRST_NUMBER + i``."""
_NUMBER = re.compile(r"alert\((\d+)\)|__fs_pwned\s*=\s*(\d+)|evil\.example/n(\d+)/")


def fields_named(finding: str) -> list[str]:
    """The slots whose numbered payload appears in ``finding``."""
    found = []
    for m in _NUMBER.finditer(finding):
        i = int(next(g for g in m.groups() if g)) - FIRST_NUMBER
        if 0 <= i < len(SLOTS) and SLOTS[i].label not in found:
            found.append(SLOTS[i].label)
    return found


def values_for(text: str) -> dict[Slot, str]:
    """``text`` in every slot (each slot's wrap applied), its payload numbered by slot."""
    return {s: s.fill(numbered(text, FIRST_NUMBER + i)) for i, s in enumerate(SLOTS)}


def benign_values() -> dict[Slot, str]:
    return values_for(BENIGN)


def mixed_values(attacks: list[Attack], round_: int) -> tuple[dict[Slot, str], dict[Slot, Attack]]:
    """Many attacks in one tree: slot ``i`` gets attack ``(i + 37 * round_) % n``, numbered ``100 + i``."""
    placed = {s: attacks[(i + 37 * round_) % len(attacks)] for i, s in enumerate(SLOTS)}
    values = {s: s.fill(numbered(placed[s].text, FIRST_NUMBER + i)) for i, s in enumerate(SLOTS)}
    return values, placed


def _fill(value: Any, path: tuple[str | int, ...], file: str, values: Values) -> Any:
    if isinstance(value, _S):
        return values[Slot(file, path, value.wrap)]
    if isinstance(value, dict):
        return {k: _fill(v, (*path, k), file, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, (*path, i), file, values) for i, v in enumerate(value)]
    return value


def project_files(values: Values) -> dict[str, str]:
    """The project as files (paths relative to its root), every value written by yaml.safe_dump."""
    files: dict[str, str] = {}
    for file, data in _TEMPLATE.items():
        filled = _fill(data, (), file, values)
        if file == "mkdocs.yml":
            files[file] = yaml.safe_dump({**filled, **MKDOCS_FIXED}, allow_unicode=True, sort_keys=False)
        else:
            files[f"content/{file}.yaml"] = yaml.safe_dump(filled, allow_unicode=True, sort_keys=False)
    files["docs/about.md"] = "# About\n\nHow to read this briefing.\n"
    return files


def write_project(root: Path, values: Values) -> Path:
    for rel, text in project_files(values).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# ------------------------------------------------------------------ factsheet check

LOCATED = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?:(?P<field>[\w.\[\]]+): )?(?P<message>.+)$"
)
COUNT_LINE = re.compile(r"^\d+ errors? in content$")


@dataclass
class CheckRun:
    exit_code: int
    output: str
    located: list[re.Match[str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Breaches of the contract: a traceback, an exit code other than 0 or 1, an unlocated line."""


def run_check(root: Path) -> CheckRun:
    """``factsheet check`` in-process (click's runner: exit code and output as on a terminal)."""
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(
        main, ["check", "--content", str(root / "content"), "--config", str(root / "mkdocs.yml")]
    )
    output = result.output
    run = CheckRun(result.exit_code, output)
    if "Traceback" in output or result.exit_code not in (0, 1):
        run.problems.append(f"check exited {result.exit_code}:\n{output[-2000:]}")
        return run
    if result.exit_code == 1:
        lines = [line for line in output.splitlines() if line.strip()]
        if not lines or not COUNT_LINE.match(lines[-1]):
            run.problems.append(f"check output does not end with the error count:\n{output[-2000:]}")
        for line in lines[:-1]:
            m = LOCATED.match(line)
            if m is None:
                run.problems.append(f"check printed an unlocated line: {line!r}")
            else:
                run.located.append(m)
    return run


def _file_of(path: str) -> str | None:
    for file in ENTITY_FILES:
        if path.endswith(f"content/{file}.yaml"):
            return file
    return None


def _covers(diag_field: str, slot_field: str) -> bool:
    if not diag_field:
        return False
    return any(
        a == b or a.startswith(b + ".") or a.startswith(b + "[")
        for a, b in ((diag_field, slot_field), (slot_field, diag_field))
    )


@dataclass
class Accepted:
    """What ``check`` made of a tree: the values it accepted and the slots it refused."""

    values: dict[Slot, str]
    refused: dict[Slot, str]
    """slot -> the located message that refused it"""
    problems: list[str]


def accept(root: Path, values: Values, rounds: int = 4) -> Accepted:
    """Write, check; put benign text into every refused slot and check again until it passes."""
    current = dict(values)
    refused: dict[Slot, str] = {}
    problems: list[str] = []
    for _ in range(rounds):
        write_project(root, current)
        run = run_check(root)
        problems += run.problems
        if run.exit_code == 0 or run.problems:
            return Accepted(current, refused, problems)
        for m in run.located:
            file = _file_of(m["path"])
            if file is None:
                problems.append(f"check located an error outside the content files: {m[0]}")
                continue
            in_file = [s for s in SLOTS if s.file == file]
            hit = [s for s in in_file if _covers(m["field"] or "", s.field)]
            if m["field"] and not hit:
                problems.append(f"check refused a field that holds no attack: {m[0]}")
            # an error without a field (a character YAML refuses) refuses the whole file
            for slot in hit or ([] if m["field"] else in_file):
                if current[slot] != slot.fill(BENIGN):
                    refused.setdefault(slot, m[0])
                    current[slot] = slot.fill(BENIGN)
    problems.append(f"check still refuses the tree after {rounds} rounds of benign replacement")
    return Accepted(current, refused, problems)


# ------------------------------------------------------------------ mkdocs build --strict


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def strict_build(root: Path, site: Path) -> list[str]:
    """``mkdocs build --strict`` in-process; returns the warnings and errors (empty: a clean build).

    MkDocs writes every page before it aborts on warnings, so the site can be scanned either way.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except Exception as exc:  # Abort in strict mode, PluginError, or a crash: all are failures here
        handler.messages.append(f"build failed: {type(exc).__name__}: {exc}")
    finally:
        logger.removeHandler(handler)
    return handler.messages


# ------------------------------------------------------------------ scanning the output

# elements that run, load, submit, restyle or re-base: content may add none of them
DANGEROUS_TAGS = frozenset(
    [
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "img",
        "image",
        "picture",
        "base",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "style",
        "link",
        "meta",
        "video",
        "audio",
        "source",
        "track",
        "template",
        "noscript",
        "title",
        "body",
        "head",
        "html",
        "portal",
        "use",
        "foreignobject",
        "animate",
        "set",
        "marquee",
        "param",
        "area",
        "map",
        "dialog",
        "details",
    ]
)
URL_ATTRS = frozenset(
    [
        "href",
        "src",
        "action",
        "formaction",
        "srcset",
        "poster",
        "xlink:href",
        "data",
        "background",
        "lowsrc",
        "dynsrc",
        "cite",
        "ping",
        "longdesc",
        "usemap",
        "codebase",
        "archive",
        "classid",
        "manifest",
        "icon",
        "profile",
    ]
)
# attributes that load something (on any element other than a and area, href too)
LOAD_ATTRS = frozenset(
    [
        "src",
        "srcset",
        "poster",
        "data",
        "background",
        "lowsrc",
        "dynsrc",
        "codebase",
        "archive",
        "manifest",
        "icon",
    ]
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# the only tags Material's search keeps in the index (without attributes)
SEARCH_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
KEY_VALUES = frozenset(
    [
        "src",
        "href",
        "action",
        "formaction",
        "http-equiv",
        "rel",
        "type",
        "data",
        "srcset",
        "poster",
        "name",
        "id",
        "xlink:href",
    ]
)
_KEPT_TAGS = re.compile(r"</?(?:p|code|pre|li|ol|ul|sub|sup)>")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: surrounding C0/space stripped, tabs and newlines removed."""
    cleaned = re.sub(
        r"[\t\n\r]",
        "",
        value.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
        ),
    )
    m = _SCHEME.match(cleaned)
    return m[1].lower() if m else None


def url_host(value: str) -> str | None:
    cleaned = re.sub(r"[\t\n\r]", "", value.strip())
    if cleaned.startswith("//") or url_scheme(cleaned) in ("http", "https"):
        try:
            return urlsplit(cleaned if "://" in cleaned else "https:" + cleaned).hostname
        except ValueError:
            return "?"
    return None


def _urls(attr: str, value: str) -> list[str]:
    if attr == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


@dataclass(frozen=True)
class Element:
    tag: str
    attrs: tuple[tuple[str, str], ...]
    text: str = ""
    """the element's own leading text (a script's code, a style's rules), for the report"""

    def signature(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return self.tag, tuple(sorted((k, v if k in KEY_VALUES else "") for k, v in self.attrs))

    def __str__(self) -> str:
        attrs = "".join(f" {k}={v!r}" for k, v in self.attrs)
        return f"<{self.tag}{attrs}>"[:300]


def _local(name: str) -> str:
    """``{http://www.w3.org/1999/xlink}href`` -> ``xlink:href``; ``{...xhtml}img`` -> ``img``."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return f"xlink:{local}" if ns.endswith("/xlink") else local.lower()
    return name.lower()


def parse(text: str) -> ElementTree.Element:
    """``text`` parsed as a browser parses it (WHATWG tree construction, via tinyhtml5)."""
    return tinyhtml5.parse(text)


def elements(text: str, fragment: bool = False) -> list[Element]:
    """Every element a browser builds from ``text``, with its attributes (references decoded).

    ``fragment``: the wrapper a document parse adds (html, head, body) is left out unless it
    got attributes from ``text``.
    """
    found = []
    for node in parse(text).iter():
        if not isinstance(node.tag, str):  # comments
            continue
        el = Element(
            _local(node.tag), tuple((_local(k), v) for k, v in node.attrib.items()), (node.text or "")[:120]
        )
        if fragment and el.tag in ("html", "head", "body") and not el.attrs:
            continue
        found.append(el)
    return found


def title_text(page: str) -> str:
    """The document's title as a browser reads it (text up to ``</title``, references decoded)."""
    for node in parse(page).iter("{http://www.w3.org/1999/xhtml}title"):
        return node.text or ""
    return ""


def comparable(text: str) -> str:
    """Whitespace collapsed; format and control characters (bidi marks, zero widths) dropped."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc") or c in "\t\n")
    return " ".join(kept.split())


@dataclass
class PageFacts:
    """What a page may legitimately hold, from the benign build of the same tree."""

    dangerous: Counter[tuple[str, Any]]
    styles: Counter[tuple[str, str]]
    handlers: Counter[tuple[str, str, str]]
    urls: set[tuple[str, str, str]]
    evaluated: Counter[str] = field(default_factory=Counter)
    """how often each of :data:`EVALUATED` occurs in the page's source"""
    texts: set[tuple[Any, str]] = field(default_factory=set)
    """(signature, text) of the dangerous elements (for the report only)"""


def _empty() -> PageFacts:
    return PageFacts(Counter(), Counter(), Counter(), set())


def page_facts(found: list[Element], source: str = "") -> PageFacts:
    facts = _empty()
    facts.evaluated.update({m: source.count(m) for m in EVALUATED})
    for el in found:
        if el.tag in DANGEROUS_TAGS:
            facts.dangerous[el.signature()] += 1
            facts.texts.add((el.signature(), el.text.strip()))
        for k, v in el.attrs:
            if k == "style":
                facts.styles[(el.tag, v)] += 1
            if k.startswith("on"):
                facts.handlers[(el.tag, k, v)] += 1
            if k in URL_ATTRS:
                facts.urls.add((el.tag, k, v))
    return facts


SEARCH_INDEX = "search/search_index.json"


def html_pages(site: Path) -> dict[str, str]:
    """Every generated page, and the search index (Material's scripts and styles are not generated)."""
    found = {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))
    }
    index = site / SEARCH_INDEX
    if index.is_file():
        found[SEARCH_INDEX] = index.read_text(encoding="utf-8")
    return found


def scan_baseline(site: Path) -> dict[str, PageFacts]:
    pages = html_pages(site)
    facts = {rel: page_facts(elements(text), text) for rel, text in pages.items() if rel != SEARCH_INDEX}
    facts[SEARCH_INDEX] = page_facts([], pages.get(SEARCH_INDEX, ""))
    return facts


def element_problems(
    where: str, found: list[Element], base: PageFacts, evil_links_ok: bool, search: bool = False
) -> list[str]:
    """Everything in ``found`` that the benign build of the same page does not have."""
    out: list[str] = []
    have = page_facts(found)
    for sig, n in (have.dangerous - base.dangerous).items():
        texts = sorted({t for g, t in have.texts - base.texts if g == sig and t})
        shown = f", holding {' | '.join(texts)[:200]!r}" if texts else ""
        out.append(f"{where}: {n} element(s) {sig[0]} from content: {sig}{shown}")
    for (tag, style), _ in (have.styles - base.styles).items():
        out.append(f"{where}: style attribute on <{tag}> from content: {style[:120]!r}")
    for (tag, attr, value), _ in (have.handlers - base.handlers).items():
        out.append(f"{where}: event handler {attr} on <{tag}>: {value[:120]!r}")
    for el in found:
        if search and (el.tag not in SEARCH_TAGS or el.attrs):
            out.append(f"{where}: search index holds markup {el}")
        for attr, value in el.attrs:
            if attr not in URL_ATTRS and not (el.tag == "meta" and attr == "content"):
                continue
            if (el.tag, attr, value) in base.urls:
                continue
            urls = _urls(attr, value)
            if el.tag == "meta" and attr == "content":
                urls = re.findall(r"url\s*=\s*(\S+)", value, re.I)
            for url in urls:
                scheme = url_scheme(url)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    out.append(f"{where}: {scheme}: URL in {attr} of {el}")
                host = url_host(url)
                if host is None:
                    continue
                if el.tag in ("a", "area") and attr == "href":
                    if host.endswith("evil.example") and not evil_links_ok:
                        out.append(f"{where}: link to {host} made from content: {el}")
                elif (
                    attr in LOAD_ATTRS
                    or el.tag in ("link", "base", "meta", "use", "image", "form")
                    or (attr in ("action", "formaction"))
                ):
                    out.append(f"{where}: {el.tag} loads or sends to {host}: {el}")
    return out


def site_problems(site: Path, baseline: dict[str, PageFacts], evil_links_ok: bool) -> list[str]:
    """Every way content reached readers as markup in a built site (empty: none)."""
    out: list[str] = []
    pages = html_pages(site)
    for rel, text in pages.items():
        base = baseline.get(rel, _empty())
        for mark in EVALUATED:
            if text.count(mark) > base.evaluated[mark]:
                out.append(f"{rel}: template code was evaluated ({mark!r} in the output)")
        if rel != SEARCH_INDEX:
            out += element_problems(rel, elements(text), base, evil_links_ok)
    if SEARCH_INDEX not in pages:
        out.append(f"{SEARCH_INDEX} is missing")
        return out
    for doc in json.loads(pages[SEARCH_INDEX])["docs"]:
        for key in ("title", "text"):
            if "<" not in _KEPT_TAGS.sub("", doc.get(key) or ""):
                continue  # text and the bare tags Material keeps: no element can come of it
            out += element_problems(
                f"search index {doc['location']!r} {key}",
                elements(doc.get(key) or "", fragment=True),
                _empty(),
                evil_links_ok,
                search=True,
            )
    return out


def entity_page(file: str) -> str:
    """``actors/person-a`` -> ``actors/person-a/index.html``."""
    return f"{file}/index.html"


def unique(items: list[str], limit: int = 40) -> list[str]:
    seen = list(dict.fromkeys(items))
    return seen[:limit] + ([f"... and {len(seen) - limit} more"] if len(seen) > limit else [])


# ------------------------------------------------------------------ one build, end to end


def title_problems(site: Path, accepted: Accepted) -> list[str]:
    """An entry's ``<title>`` must show its name as text: escaped, not dropped or mangled."""
    out = []
    for file in ENTITY_FILES:
        slot = Slot(file, ("name",))
        if slot in accepted.refused:
            continue
        page = site / entity_page(file)
        if not page.is_file():
            out.append(f"{entity_page(file)} was not built")
            continue
        shown = comparable(title_text(page.read_text(encoding="utf-8")))
        name = comparable(accepted.values[slot])
        if not shown.startswith(name):
            out.append(
                f"{entity_page(file)}: <title> reads {shown[:160]!r}; expected the name {name[:160]!r}"
            )
    return out


@dataclass
class Case:
    accepted: Accepted
    site: Path
    problems: list[str]


def run_case(root: Path, values: Values, baseline: dict[str, PageFacts], evil_links_ok: bool) -> Case:
    """check (benign text into refused fields), ``mkdocs build --strict``, then scan every output."""
    accepted = accept(root / "project", values)
    site = root / "site"
    problems = list(accepted.problems)
    problems += [f"mkdocs build --strict: {w}" for w in strict_build(root / "project", site)]
    problems += site_problems(site, baseline, evil_links_ok)
    problems += title_problems(site, accepted)
    return Case(accepted, site, problems)


def field_group(slot: Slot) -> str:
    """``claims[0].text`` -> ``claims[].text``; mkdocs.yml options keep their file."""
    generic = re.sub(r"\[\d+\]", "[]", slot.field)
    return f"mkdocs.yml:{generic}" if slot.file == "mkdocs.yml" else generic
