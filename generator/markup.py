"""Curator Markdown: finding its links, escaping it, and pointing links at entries.

Shared by :mod:`generator.link` (which checks every link target in text fields) and
:mod:`generator.render` (which escapes text and turns entry ids into page links).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from .load import ID_RE, Path_
from .model import Common, Entry, Event, Meeting, Sanction, is_reference

SAFE_SCHEMES = ("http", "https", "mailto")

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_FENCED = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
# [text](target "title") and ![alt](src); the text may hold one level of brackets
_INLINE = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\]\n]*\])*)\]"  # [text] or ![alt], one level of brackets inside
    r"\(\s*(<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))*)"  # (target, one level of parentheses inside
    r"((?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*)\)"  # "optional title")
)
_REFDEF = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|])")
_FENCE_LINE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class Link:
    target: str
    image: bool


def _blank_code(text: str) -> str:
    """The text with code spans and fenced blocks blanked (links in code are not links)."""
    text = _FENCED.sub(lambda m: " " * len(m[0]), text)
    return _CODE_SPAN.sub(lambda m: " " * len(m[0]), text)


def _web_scheme(target: str) -> bool | None:
    """True for http/https/mailto, False for any other scheme, None for no scheme at all."""
    scheme = _SCHEME.match(target)
    return None if scheme is None else scheme[1].lower() in SAFE_SCHEMES


def _sub_outside_code(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str) -> str:
    """``pattern.sub(replace, text)``, leaving code spans and fenced blocks alone."""
    out, last = [], 0
    for found in pattern.finditer(_blank_code(text)):
        match = pattern.fullmatch(text, found.start(), found.end())
        out.append(text[last : found.start()])
        out.append(replace(match) if match else text[found.start() : found.end()])
        last = found.end()
    out.append(text[last:])
    return "".join(out)


def find_links(text: str) -> list[Link]:
    """Every inline link, image and reference definition in ``text``, outside code."""
    plain_text = _blank_code(text)
    found = [Link(m[3].strip("<>"), bool(m[1])) for m in _INLINE.finditer(plain_text)]
    found += [Link(m[2].strip("<>"), False) for m in _REFDEF.finditer(plain_text)]
    return found


def link_problem(link: Link) -> str | None:
    """Why a link may not stand in curator text, or None. Entry ids are checked by the caller."""
    if link.image:
        return (
            "images in text fields are not supported (they would load from another host); "
            "describe the image and link to it instead"
        )
    web = _web_scheme(link.target)
    if web is not None:
        return (
            None
            if web
            else f"link to '{link.target}': only http, https and mailto addresses, or entry ids, may be linked"
        )
    if entry_target(link.target) is None:
        return (
            f"link to '{link.target}': link to a web address (https://...) or to an entry by its id, "
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


# ------------------------------------------------------------------ output


def plain(text: str) -> str:
    """Plain text (a name, a title) made safe to place inline in Markdown."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def one_line(text: str) -> str:
    """Markdown squeezed onto one line (for list items and table cells)."""
    return " ".join(text.split()).replace("|", "\\|")


def _escape_html(text: str) -> str:
    """``<`` outside code becomes ``&lt;``, so raw HTML shows as text."""
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE_LINE.match(line.lstrip()):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence or line.startswith("    "):
            out.append(line)
            continue
        pieces = _CODE_SPAN.split(line)  # text, ticks, code, text, ticks, code, ..., text
        rebuilt = []
        for i in range(0, len(pieces), 3):
            rebuilt.append(pieces[i].replace("<", "&lt;"))
            if i + 2 < len(pieces):
                rebuilt.append(pieces[i + 1] + pieces[i + 2] + pieces[i + 1])
        out.append("".join(rebuilt))
    return "\n".join(out)


def markdown_text(text: str, href: Callable[[str, str | None], str | None], allow_html: bool = False) -> str:
    """Curator Markdown made safe to publish.

    Links to entry ids become relative page links through ``href`` (which returns None
    for an unknown id); links to anything but web addresses are disarmed (the text stays,
    the link goes); raw HTML is escaped unless ``allow_html``.
    """

    def target(raw: str) -> str | None:
        bare = raw.strip("<>")
        web = _web_scheme(bare)
        if web is not None:
            return raw if web else None
        entry = entry_target(bare)
        return href(*entry) if entry else None

    def inline(m: re.Match[str]) -> str:
        if m[1]:  # images never reach the page
            return plain(m[2])
        new = target(m[3])
        return f"[{m[2]}]({new}{m[4]})" if new else m[2]

    def refdef(m: re.Match[str]) -> str:
        new = target(m[2])
        return f"{m[1]}{new}" if new else f"{m[1]}#"

    text = _sub_outside_code(_INLINE, inline, text.strip())
    text = _sub_outside_code(_REFDEF, refdef, text)
    return text if allow_html else _escape_html(text)
