"""Every script in the content must have a font, or the PDF would print boxes.

The check runs before anything is rendered: it finds the scripts the text uses
(Cyrillic, Hangul, Han, ...) and asks fontconfig, which WeasyPrint itself uses, for a font
covering the characters. When there is none it stops with the script, an example, the
file it comes from and the Debian package that provides a font.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import ConfigError
from .link import Graph

NOTO_CJK = "fonts-noto-cjk"
NOTO_CORE = "fonts-noto-core"

# first word of a character's Unicode name -> (script, Debian package with a font for it)
SCRIPTS: dict[str, tuple[str, str]] = {
    "LATIN": ("Latin", NOTO_CORE),
    "GREEK": ("Greek", NOTO_CORE),
    "COPTIC": ("Coptic", NOTO_CORE),
    "CYRILLIC": ("Cyrillic", NOTO_CORE),
    "ARMENIAN": ("Armenian", NOTO_CORE),
    "GEORGIAN": ("Georgian", NOTO_CORE),
    "HEBREW": ("Hebrew", NOTO_CORE),
    "ARABIC": ("Arabic", NOTO_CORE),
    "SYRIAC": ("Syriac", NOTO_CORE),
    "THAANA": ("Thaana", NOTO_CORE),
    "DEVANAGARI": ("Devanagari", NOTO_CORE),
    "BENGALI": ("Bengali", NOTO_CORE),
    "GURMUKHI": ("Gurmukhi", NOTO_CORE),
    "GUJARATI": ("Gujarati", NOTO_CORE),
    "ORIYA": ("Oriya", NOTO_CORE),
    "TAMIL": ("Tamil", NOTO_CORE),
    "TELUGU": ("Telugu", NOTO_CORE),
    "KANNADA": ("Kannada", NOTO_CORE),
    "MALAYALAM": ("Malayalam", NOTO_CORE),
    "SINHALA": ("Sinhala", NOTO_CORE),
    "THAI": ("Thai", NOTO_CORE),
    "LAO": ("Lao", NOTO_CORE),
    "TIBETAN": ("Tibetan", NOTO_CORE),
    "MYANMAR": ("Myanmar", NOTO_CORE),
    "KHMER": ("Khmer", NOTO_CORE),
    "MONGOLIAN": ("Mongolian", NOTO_CORE),
    "ETHIOPIC": ("Ethiopic", NOTO_CORE),
    "CHEROKEE": ("Cherokee", NOTO_CORE),
    "HANGUL": ("Hangul", NOTO_CJK),
    "CJK": ("Han", NOTO_CJK),
    "IDEOGRAPHIC": ("Han", NOTO_CJK),
    "HIRAGANA": ("Hiragana", NOTO_CJK),
    "KATAKANA": ("Katakana", NOTO_CJK),
    "HALFWIDTH": ("Katakana", NOTO_CJK),
    "BOPOMOFO": ("Bopomofo", NOTO_CJK),
    "YI": ("Yi", NOTO_CJK),
}
OTHER = ("symbols and punctuation", NOTO_CORE)
SAMPLE = 200  # characters of one script asked about in one fontconfig query


@dataclass(frozen=True)
class Usage:
    """The characters of one script the content uses, each with the file it occurs in first."""

    script: str
    package: str
    chars: dict[str, str]


def script_of(char: str) -> tuple[str, str]:
    """(script, Debian package) of a non-ASCII character."""
    word = unicodedata.name(char, "").split(" ", 1)[0]
    return SCRIPTS.get(word, OTHER)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def scripts_used(graph: Graph, extra: tuple[str, ...] = ()) -> list[Usage]:
    """Every script of the text that reaches a PDF, with where it occurs first."""
    found: dict[tuple[str, str], dict[str, str]] = {}

    def scan(text: str, where: str) -> None:
        for char in text:
            if char.isascii() or not char.isprintable():
                continue
            found.setdefault(script_of(char), {}).setdefault(char, where)

    for text in extra:
        scan(text, "mkdocs.yml")
    for record in graph.records.values():
        where = record.document.display
        for text in _strings(record.entity.model_dump()):
            scan(text, where)
    return [Usage(script, package, chars) for (script, package), chars in found.items()]


@lru_cache(maxsize=256)
def fonts_covering(chars: str) -> tuple[str, ...]:
    """Font families fontconfig has that cover every one of ``chars`` (``fc-list :charset=``)."""
    program = shutil.which("fc-list")
    if program is None:
        raise ConfigError(
            "fc-list not found: the PDF step needs fontconfig to check fonts "
            "(Debian: apt-get install fontconfig)"
        )
    charset = " ".join(f"{ord(c):x}" for c in sorted(set(chars)))
    result = subprocess.run(
        [program, "--format", "%{family[0]}\n", f":charset={charset}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return tuple(sorted({line for line in result.stdout.splitlines() if line.strip()}))


def check_fonts(graph: Graph, extra: tuple[str, ...] = ()) -> None:
    """Raise :class:`ConfigError` naming the first script no installed font covers."""
    for usage in scripts_used(graph, extra):
        chars = "".join(usage.chars)
        for start in range(0, len(chars), SAMPLE):
            chunk = chars[start : start + SAMPLE]
            if fonts_covering(chunk):
                continue
            missing = [c for c in chunk if not fonts_covering(c)]
            if not missing:
                continue  # several fonts between them cover the characters: fine
            sample = "".join(missing[:5])
            raise ConfigError(
                f"{usage.chars[missing[0]]}: no font on this machine has {usage.script} characters "
                f"(such as '{sample}'); the PDF would print boxes. "
                f"Install one, on Debian: apt-get install {usage.package}"
            )
