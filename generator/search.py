"""Search keywords: the names a page is found by, including Russian inflected forms.

Material's search gives a page's ``tags`` (front matter) a weight far above its text, so
each entry's page carries its own names as keywords: the name, the native name, every
alias and, for names written in Cyrillic, their inflected forms (``Путин`` -> ``Путина``,
``Путину``...) from the pymorphy3 morphological dictionary (OpenCorpora). A search for any
of them then lists the entry's own page first, ahead of pages that merely mention it.

Keywords never reach a page as text; the theme's search results insert them as HTML, so
they are reduced to letters, digits, spaces and a few harmless marks (:func:`searchable`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .markup import visible
from .model import Common

_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:-[\u0400-\u04ff]+)*")
_UNSAFE = re.compile(r"[^\w\s'’.-]")
_DECLINABLE = frozenset({"NOUN", "ADJF", "PRTF"})
_KEEP = frozenset({"sing", "plur", "masc", "femn", "neut"})
MIN_SCORE = 0.1
"""Analyses less likely than this are ignored (``Путина`` is the genitive of ``Путин``, not a name)."""
MAX_KEYWORDS = 200
"""At most this many keywords per page (a few dozen aliases with their forms fit)."""


def searchable(text: str) -> str:
    """``text`` with anything that could mean markup replaced by spaces, whitespace folded."""
    return " ".join(_UNSAFE.sub(" ", visible(text)).split())


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3  # type: ignore[import-untyped]  # loaded on first use (0.2 s)

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=4096)
def inflections(word: str) -> tuple[str, ...]:
    """The case forms of one Russian word, in its own number (and gender, for adjectives).

    Only the likely analyses that read ``word`` as a nominative noun, adjective or
    participle count (a name is written in the nominative: ``Безопасности`` in ``Совет
    Безопасности`` stays as it is); an unknown or indeclinable word has no other forms.
    """
    lower = word.lower()
    forms: list[str] = []
    for parse in _analyzer().parse(lower):
        tag = parse.tag
        if tag.POS not in _DECLINABLE or tag.case != "nomn" or parse.score < MIN_SCORE:
            continue
        wanted = {g for g in (tag.number, tag.gender) if g in _KEEP}
        for form in parse.lexeme:
            if form.tag.POS == tag.POS and wanted <= set(form.tag.grammemes) and form.word not in forms:
                forms.append(form.word)
    if lower in forms:
        forms.remove(lower)
    if word[:1].isupper():
        forms = [f[:1].upper() + f[1:] for f in forms]
    return tuple(forms)


def inflected(name: str) -> list[str]:
    """``name`` with each Cyrillic word in each of its case forms, as single words."""
    out: list[str] = []
    for match in _CYRILLIC_WORD.finditer(name):
        for part in match[0].split("-"):
            out.extend(inflections(part))
    return out


def names(entity: Common) -> list[tuple[str, str | None]]:
    """The names an entry is known by, with their language: name, native name, aliases."""
    found: list[tuple[str, str | None]] = [(entity.name, None)]
    native = getattr(entity, "native_name", None)
    if native is not None:
        found.append((native.name, native.lang))
    found += [(a.name, a.lang) for a in entity.aliases]
    return found


def keywords(entity: Common) -> tuple[str, ...]:
    """Search keywords of an entry's page: its name (twice), its other names, then the
    inflected forms of the Russian ones (language ``ru``, or none given), each once."""
    known = names(entity)
    forms = [f for name, lang in known if lang is None or lang.split("-")[0] == "ru" for f in inflected(name)]
    found = _unique([*(name for name, _ in known), *forms])
    # the name twice: it weighs more than the aliases and forms that follow it, so that a page
    # with many of them ("North Korea") still comes before pages merely named after it
    return found[:1] + found[:MAX_KEYWORDS]


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        clean = searchable(value)
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            out.append(clean)
    return tuple(out)
