"""Curator text made safe for every place it lands: Markdown pages, HTML, PDF.

One rule, applied by construction:

- **Plain text** (names, locators, attributions) becomes :func:`plain` text: whitespace
  folded, and every ASCII punctuation character that means something to Markdown or HTML
  written as a numeric character reference (``<`` -> ``&#60;``). Entities are plain text
  to every Markdown engine and decode to the same characters in HTML, so the value reads
  the same everywhere and can never open a tag, a link, an attribute list or a code span.
- **Curator Markdown** is read by Python-Markdown itself (raw HTML switched off unless the
  project sets ``allow_html``), the result is cleaned by nh3 (the ammonia sanitizer) with
  an allow-list, and the clean tree is written back out as a small canonical Markdown:
  paragraphs, lists, quotes, ``<pre>``/``<code>``, inline ``<em>``/``<strong>``, and links
  whose targets are web addresses or entry pages. No construct of the curator's reaches
  the page as it was typed, so whatever engine reads the page reads what we meant.

Values this module returns are :class:`Md`: Markdown the code produced and marks safe.
Templates print anything else through :func:`plain` (see :mod:`generator.render`).
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

from .load import ID_RE, Path_
from .model import INVISIBLE, Common, Entry, Event, Meeting, Sanction, is_reference

SAFE_SCHEMES = ("http", "https", "mailto")


class Md(Markup):
    """Markdown (or HTML) that this code produced: safe to place in a page as it is."""

    __slots__ = ()


# ------------------------------------------------------------------ plain text

# Kept as they are: letters, digits, spaces and , . ; ? / - (harmless inside a line).
_ENTITY_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in string.punctuation if c not in ",.;?/-"})


def _encode(text: str) -> str:
    return text.translate(_ENTITY_TABLE)


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """The text without control characters (NUL, escape sequences, C1): never printed."""
    return _CONTROL_CHARS.sub("", text)


_OPENS = frozenset(" \t\n([{\u2014\u2013-/\u201c\u2018")
"""After these (or at the start) a straight double quote opens a quotation; elsewhere it closes one."""


def curly_quotes(text: str, before: str = "") -> str:
    """Straight double quotes as typographic ones, so that curators' "..." read like the
    “...” the pages print around a source's words: one quote style on every page."""
    if '"' not in text:
        return text
    out: list[str] = []
    prev = before
    for char in text:
        if char == '"':
            char = "\u201c" if not prev or prev in _OPENS else "\u201d"
        out.append(char)
        prev = char
    return "".join(out)


def plain(text: object) -> Md:
    """Plain text made inert for Markdown, HTML text and (double-quoted) HTML attributes,
    its quotation marks typographic."""
    return Md(_encode(curly_quotes(" ".join(visible(str(text)).split()))))


def plain_block(text: str) -> Md:
    """Plain text kept on one line with its own spacing (for ``<pre>``, titles of links)."""
    return Md(_encode(visible(text)).replace("\r", "").replace("\n", "&#10;"))


# ------------------------------------------------------------------ URLs

_URL_SAFE = "/?:@&=+$,;%#!*~-._"  # what stays as it is in a printed link target
_CONTROL_OR_SPACE = re.compile(rf"[\s{INVISIBLE}]")
_CONTROL = re.compile(rf"[{INVISIBLE}]")  # what browsers drop from a URL (tabs, newlines) and invisibles


def web_scheme(target: str) -> bool | None:
    """True for http/https/mailto, False for any other scheme, None for no scheme at all.

    The scheme is read the way a browser would: entities decoded, whitespace and control
    characters removed, case ignored (``&#106;ava\\tscript:`` is ``javascript:``).
    """
    cleaned = _CONTROL_OR_SPACE.sub("", html.unescape(target))
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    if scheme is None:
        return False if cleaned.startswith("//") else None  # protocol-relative: another host
    return scheme[1].lower() in SAFE_SCHEMES


def safe_url(url: str) -> str | None:
    """A web address as a link target: None unless http/https/mailto; quotes, angle
    brackets, spaces, parentheses and other specials percent-encoded."""
    if web_scheme(url) is not True:
        return None
    return quote(_CONTROL.sub("", url.strip()), safe=_URL_SAFE)


def web_link(url: str) -> Md:
    """A web address printed in full and linked (or just printed, if it is not a web address)."""
    target = safe_url(url)
    shown = plain(url)
    return Md(f"[{shown}]({target})") if target else shown


# ------------------------------------------------------------------ reading curator Markdown

ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "em", "strong", "code", "pre", "a", "ul", "ol", "li", "blockquote"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
)
"""Tags Python-Markdown makes from curator Markdown (images are left out: remote loads)."""

HTML_EXTRA_INLINE = frozenset(
    {"b", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "abbr", "kbd", "q", "cite", "span"}
)
HTML_EXTRA_BLOCK = frozenset({"table", "thead", "tbody", "tr", "th", "td", "caption", "dl", "dt", "dd"})
HTML_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href"},
    "abbr": {"title"},
    "span": {"lang"},
    "q": {"lang"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
"""With ``allow_html: true``: the extra tags and the only attributes kept (documented in
docs/content-format.md). Everything else, with its content for script and style, is removed."""

_BLOCKS = frozenset({"p", "ul", "ol", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Node:
    """An element of cleaned curator text; children are Nodes and strings."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    children: tuple[Node | str, ...]

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)


class _TreeBuilder(HTMLParser):
    """Well-formed (sanitized) HTML -> Nodes; entities are decoded into text."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[tuple[str, str]], list[Node | str]]] = [("", [], [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs = [(k, v or "") for k, v in attrs]
        if tag in self.VOID:
            self.stack[-1][2].append(Node(tag, tuple(pairs), ()))
        else:
            self.stack.append((tag, pairs, []))

    def handle_endtag(self, tag: str) -> None:
        if not any(t == tag for t, _, _ in self.stack[1:]):
            return
        while True:
            name, attrs, children = self.stack.pop()
            self.stack[-1][2].append(Node(name, tuple(attrs), tuple(children)))
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1][2].append(data)

    def result(self) -> tuple[Node | str, ...]:
        while len(self.stack) > 1:
            self.handle_endtag(self.stack[-1][0])
        return tuple(self.stack[0][2])


def _tree(markup: str) -> tuple[Node | str, ...]:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.result()


@lru_cache(maxsize=2)
def _converter(allow_html: bool) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["fenced_code", "sane_lists"], output_format="html")
    if not allow_html:  # raw HTML is text, like any other character
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    return md


def _markdown_to_html(text: str, allow_html: bool) -> str:
    md = _converter(allow_html)
    try:
        return md.convert(text)
    finally:
        md.reset()


@lru_cache(maxsize=8192)
def parse(text: str, allow_html: bool = False) -> tuple[Node | str, ...]:
    """Curator Markdown -> a cleaned tree: only allow-listed tags, attributes and URL schemes."""
    tags = ALLOWED_TAGS | (HTML_EXTRA_INLINE | HTML_EXTRA_BLOCK if allow_html else frozenset())
    attributes = HTML_ATTRIBUTES if allow_html else {"a": {"href"}}
    cleaned = nh3.clean(
        _markdown_to_html(text, allow_html),
        tags=set(tags),
        attributes=attributes,
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
    return _tree(cleaned)


# ------------------------------------------------------------------ writing it out

Href = Callable[[str, str | None], str | None]
"""Where a link to an entry (id, claim id or None) points from this page; None if unknown."""


def _target(raw: str | None, href: Href) -> str | None:
    """A link target from curator text as a safe destination, or None (the link is dropped)."""
    if not raw:
        return None
    web = web_scheme(raw)
    if web is not None:
        return safe_url(raw) if web else None
    entry = entry_target(raw.strip())
    return href(*entry) if entry else None


def _text_of(nodes: tuple[Node | str, ...]) -> str:
    return "".join(n if isinstance(n, str) else _text_of(n.children) for n in nodes)


class _Writer:
    """Cleaned nodes -> canonical Markdown (``inline``/``blocks``) or HTML (``html``)."""

    def __init__(self, href: Href) -> None:
        self.href = href
        self.before = ""  # the last character of text written: whether a quote opens or closes
        self.in_code = False  # inside code, quotes stay as typed

    # -- Markdown, one line
    def inline(self, nodes: tuple[Node | str, ...], in_link: bool = False) -> str:
        out: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                text = curly_quotes(re.sub(r"\s+", " ", visible(node)), self.before)
                self.before = text[-1:] or self.before
                out.append(_encode(text))
            elif node.tag == "br":
                out.append("<br>")
            elif node.tag == "a":
                text = self.inline(node.children, in_link=True).strip()
                target = None if in_link else _target(node.attr("href"), self.href)
                out.append(f"[{text}]({target})" if target and text else text)
            elif node.tag in ("code", "pre"):
                out.append(f"<code>{_encode(visible(_text_of(node.children))).replace(chr(10), ' ')}</code>")
            elif node.tag in ("em", "strong") or node.tag in HTML_EXTRA_INLINE:
                attrs = "".join(f' {k}="{_encode(v)}"' for k, v in node.attrs)
                out.append(f"<{node.tag}{attrs}>{self.inline(node.children, in_link)}</{node.tag}>")
            elif node.tag in ("ul", "ol"):
                items = []
                for li in node.children:
                    if isinstance(li, Node):
                        self.before = ""
                        items.append(self.inline(li.children, in_link).strip())
                out.append(" " + " · ".join(i for i in items if i) + " ")
            elif node.tag == "hr":
                out.append(" · ")
            else:  # p, headings, quotes, tables, list items: their content, spaced
                self.before = ""  # a new block: a quote at its start opens
                out.append(" " + self.inline(node.children, in_link) + " ")
        return re.sub(r" {2,}", " ", "".join(out))

    # -- Markdown, blocks
    def blocks(self, nodes: tuple[Node | str, ...]) -> list[str]:
        out: list[str] = []
        run: list[Node | str] = []  # inline content outside any paragraph

        def flush() -> None:
            text = self.inline(tuple(run)).strip()
            if text:
                out.append(text)
            run.clear()

        for node in nodes:
            if isinstance(node, str) or node.tag not in _BLOCKS | HTML_EXTRA_BLOCK:
                run.append(node)
                continue
            flush()
            self.before = ""  # a new block: a quote at its start opens
            if node.tag == "p":
                text = self.inline(node.children).strip()
                if text:
                    out.append(text)
            elif node.tag.startswith("h"):  # a heading in curator text stays out of the page outline
                out.append(f"<strong>{self.inline(node.children).strip()}</strong>")
            elif node.tag == "hr":
                out.append("* * *")
            elif node.tag == "pre":
                out.append(f"<pre><code>{plain_block(_text_of(node.children).rstrip(chr(10)))}</code></pre>")
            elif node.tag == "blockquote":
                inner = "\n\n".join(self.blocks(node.children))
                out.append("\n".join(f"> {line}".rstrip() for line in inner.split("\n")))
            elif node.tag in ("ul", "ol"):
                out.append(self._list(node))
            else:  # allow_html tables and definition lists: one line of HTML
                out.append(self.html((node,)))
        flush()
        return [b for b in out if b.strip()]

    def _list(self, node: Node) -> str:
        items = [li for li in node.children if isinstance(li, Node)]
        loose = any(isinstance(c, Node) and c.tag == "p" for li in items for c in li.children)
        lines: list[str] = []
        for number, li in enumerate(items, 1):
            marker = f"{number}. " if node.tag == "ol" else "- "
            body = self.blocks(li.children) or [""]
            text = ("\n\n" if loose else "\n").join(body)
            indented = "\n".join(("    " + line) if line else "" for line in text.split("\n"))
            lines.append(marker + indented[4:])
        return ("\n\n" if loose else "\n").join(lines)

    # -- HTML (PDF briefs, allow_html blocks)
    def html(self, nodes: tuple[Node | str, ...]) -> str:
        out: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                text = visible(node) if self.in_code else curly_quotes(visible(node), self.before)
                self.before = text[-1:] or self.before
                out.append(html.escape(text, quote=True).replace("\n", "&#10;"))
            elif node.tag == "a":
                target = _target(node.attr("href"), self.href)
                inner = self.html(node.children)
                out.append(f'<a href="{html.escape(target)}">{inner}</a>' if target else inner)
            elif node.tag in ("br", "hr"):
                out.append(f"<{node.tag}>")
            else:
                tag = "strong" if node.tag[:1] == "h" and node.tag[1:].isdigit() else node.tag
                attrs = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in node.attrs)
                if tag != node.tag:
                    attrs = ""
                if node.tag in _BLOCKS or node.tag == "li":
                    self.before = ""  # a new block: a quote at its start opens
                code, self.in_code = self.in_code, self.in_code or node.tag in ("code", "pre")
                out.append(f"<{tag}{attrs}>{self.html(node.children)}</{tag}>")
                self.in_code = code
        return "".join(out)


def markdown_text(text: str, href: Href, allow_html: bool = False) -> Md:
    """Curator Markdown as blocks of canonical, safe Markdown."""
    return Md("\n\n".join(_Writer(href).blocks(parse(text.strip(), allow_html))))


def markdown_inline(text: str, href: Href, allow_html: bool = False) -> Md:
    """Curator Markdown squeezed onto one line (list items, table cells, claim lines)."""
    return Md(_Writer(href).inline(parse(text.strip(), allow_html)).strip())


def markdown_html(text: str, href: Href, allow_html: bool = False) -> Md:
    """Curator Markdown as clean HTML (for the PDF briefs)."""
    nodes = parse(text.strip(), allow_html)
    writer = _Writer(href)
    block = any(isinstance(n, Node) and n.tag in _BLOCKS for n in nodes)
    return Md(writer.html(nodes) if block else f"<p>{writer.html(nodes)}</p>")


# ------------------------------------------------------------------ checking links


@dataclass(frozen=True)
class Link:
    target: str
    image: bool


def find_links(text: str) -> list[Link]:
    """Every link and image in curator Markdown, as Python-Markdown reads it."""
    found: list[Link] = []

    def walk(nodes: tuple[Node | str, ...]) -> None:
        for node in nodes:
            if isinstance(node, Node):
                if node.tag == "a":
                    found.append(Link(node.attr("href") or "", False))
                elif node.tag == "img":
                    found.append(Link(node.attr("src") or "", True))
                walk(node.children)

    walk(_tree(_markdown_to_html(text, allow_html=False)))
    return found


def link_problem(link: Link) -> str | None:
    """Why a link may not stand in curator text, or None. Entry ids are checked by the caller."""
    if link.image:
        return (
            "images in text fields are not supported (they would load from another host); "
            "describe the image and link to it instead"
        )
    shown = link.target if link.target.isprintable() else ascii(link.target)
    web = web_scheme(link.target)
    if web is not None:
        return (
            None
            if web
            else f"link to '{shown}': only http, https and mailto addresses, or entry ids, may be linked"
        )
    if entry_target(link.target.strip()) is None:
        return (
            f"link to '{shown}': link to a web address (https://...) or to an entry by its id, "
            "e.g. [Kim Jong Un](kim-jong-un) or [the claim](north-korea#no-arms-sales)"
        )
    return None


def entry_target(target: str) -> tuple[str, str | None] | None:
    """``kim-jong-un`` -> (id, None); ``north-korea#claim`` -> (id, claim); else None."""
    entity, _, claim = target.partition("#")
    if not ID_RE.match(entity) or (claim and not ID_RE.match(claim)):
        return None
    return entity, claim or None


def markdown_fields(entity: Common, known_ids: Collection[str]) -> Iterator[tuple[Path_, str]]:
    """Every field rendered as Markdown, with its location."""
    for name in ("summary", "body", "notes"):
        value = getattr(entity, name, None)
        if value:
            yield (name,), value
    for i, claim in enumerate(entity.claims):
        yield ("claims", i, "text"), claim.text
    if isinstance(entity, Entry):
        for i, cite in enumerate(entity.sources):
            if cite.note:
                yield ("sources", i, "note"), cite.note
    lists: dict[str, list[str]] = {}
    if isinstance(entity, Meeting):
        lists["outcomes"] = entity.outcomes
    if isinstance(entity, Sanction):
        lists["measures"] = entity.measures
        lists["legal_basis"] = entity.legal_basis
        if entity.reason:
            yield ("reason",), entity.reason
    if isinstance(entity, Event):
        lists["items"] = entity.items
    for name, values in lists.items():
        for i, value in enumerate(values):
            if name != "legal_basis" or not is_reference(value, known_ids):  # ids are not text
                yield (name, i), value
