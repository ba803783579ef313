"""Located diagnostics. Free of click and MkDocs: the edges translate them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters refused in any text value: C0 controls but tab and newline, DEL, C1 controls,
and the bidirectional embedding, override and isolate characters (they reorder what a
reader sees, e.g. an id or a file name that reads differently from what it is)."""

_NOT_PRINTED = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` safe to print on a terminal, on one line: every control, line-break and
    bidirectional character written as an escape (``\\x1b``, ``\\u202e``), never raw."""
    return _NOT_PRINTED.sub(_escape, text)


def shorten(text: str, limit: int = 60) -> str:
    """At most ``limit`` characters of ``text`` for a message, then how many more there are."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the content, located at ``path:line:col`` (1-based)."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{shown(self.path)}:{self.line}:{self.column}"
        message = shown(self.message)
        field = shown(shorten(self.field, 200))  # a field path holds keys as written
        return f"{where}: {field}: {message}" if self.field else f"{where}: {message}"


@dataclass
class ContentError(Exception):
    """Raised when content does not validate; carries every diagnostic, sorted."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.diagnostics = sorted(set(self.diagnostics), key=_sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.diagnostics)
        lines = [str(d) for d in self.diagnostics]
        lines.append(f"{n} error{'s' if n != 1 else ''} in content")
        return "\n".join(lines)


class ConfigError(Exception):
    """A problem with the project configuration (mkdocs.yml, folders)."""


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.column, d.field, d.message)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` is most likely a misspelling of, if any."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
    return match[0] if match else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    match = closest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the user would type it: relative to the working directory when possible."""
    # the folder resolved, not the name: a symbolic link is shown as itself, not as its target
    resolved = path.parent.resolve() / path.name if path.name not in ("", ".", "..") else path.resolve()
    for root in (Path.cwd(), base):
        if root is None:
            continue
        try:
            return resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()
