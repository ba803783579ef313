"""Stage 1, load: read ``content/**.yaml`` into plain values with a position for each.

Each file is parsed once, with libyaml's C parser where present, into a node tree;
we then build the values ourselves so that we can keep the line and column of every
value and key, refuse what ``yaml.safe_load`` would silently accept (duplicate keys) or
what it should never see in curated content (tags, alias bombs, unquoted dates).
"""

from __future__ import annotations

import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .errors import UNSAFE_CHARS, Diagnostic, display_path, shorten

try:  # the C parser is about 9x faster than the pure-Python one
    from yaml import CSafeLoader as _Loader

    _LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _LIBYAML = False

KINDS = ("sources", "actors", "meetings", "sanctions", "events")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 80
MAX_NODES = 20_000  # values a file may expand to, aliases counted each time they are used
MAX_DEPTH = 64
MAX_FILE_BYTES = 2_000_000  # 2 MB: a file is read only up to this size
MAX_LINE_CHARS = 1_000  # a name, id, date, locator, attribution or any other one-line value
MAX_MARKDOWN_CHARS = 100_000  # a Markdown value (summary, body, notes, a claim's text...)
MAX_KEY_CHARS = 100  # a field name
MARKDOWN_FIELDS = frozenset(
    {"summary", "body", "notes", "text", "note", "outcomes", "measures", "items", "reason", "legal_basis"}
)
"""Fields (or lists of items) that hold Markdown, with the larger size limit; as in docs/content-format.md."""
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)
"""File names Windows cannot create (with any extension): such a file cannot be checked out there."""

Path_ = tuple[str | int, ...]

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class Pos:
    line: int  # 1-based
    column: int  # 1-based


class UnquotedDate:
    """A plain scalar YAML would read as a date: kept apart so validation can say 'quote it'."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"UnquotedDate({self.text!r})"


@dataclass
class Document:
    """One YAML file's values and the positions of each value (and each mapping key)."""

    path: Path
    display: str
    kind: str
    id: str
    data: Any
    values: dict[Path_, Pos] = field(default_factory=dict)
    keys: dict[Path_, Pos] = field(default_factory=dict)
    texts: dict[Path_, str] = field(default_factory=dict)  # as written, for numbers, yes/no, null
    source: str = ""  # the file's text, to point inside multi-line values

    def find(self, loc: Path_, needle: str) -> Pos:
        """Where ``needle`` first appears at or after the value at ``loc`` (else the value)."""
        start = self.pos(loc)
        lines = self.source.split("\n")
        for number in range(start.line - 1, len(lines)):
            offset = start.column - 1 if number == start.line - 1 else 0
            column = lines[number].find(needle, offset)
            if column >= 0:
                return Pos(number + 1, column + 1)
        return start

    def pos(self, loc: Path_, *, key: bool = False) -> Pos:
        """Position of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), Pos(1, 1))


@dataclass
class Loaded:
    documents: list[Document]
    diagnostics: list[Diagnostic]
    all_ids: dict[str, str]  # every id that has a file, valid or not -> kind


class _Fail(Exception):
    def __init__(self, message: str, node: yaml.Node | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.node = node
        self.field = field


def _pos(mark: Any) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


def _tag(tag: str) -> str:
    """A tag as the curator wrote it: ``!!python/object``, not ``tag:yaml.org,2002:python/object``."""
    return "!!" + tag.removeprefix(_T) if tag.startswith(_T) else tag


def _tag_message(tag: str) -> str:
    return f"YAML tag '{shorten(_tag(tag))}' is not allowed (content is plain data): remove it"


def dotted(loc: Path_) -> str:
    """``("claims", 0, "by")`` -> ``claims[0].by``, as errors name fields."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _char_name(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``, or ``U+001B`` for a control character (no name)."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _size_limit(loc: Path_) -> tuple[int, str]:
    """The size limit of the value at ``loc``: Markdown fields are larger than one-line values."""
    names = [part for part in loc if isinstance(part, str)]
    if names and names[-1] in MARKDOWN_FIELDS:
        return MAX_MARKDOWN_CHARS, "a Markdown field"
    return MAX_LINE_CHARS, "a one-line field"


class _Builder:
    """Turns a composed node tree into values, recording positions."""

    def __init__(self) -> None:
        self.values: dict[Path_, Pos] = {}
        self.keys: dict[Path_, Pos] = {}
        self.texts: dict[Path_, str] = {}
        self.problems: list[_Fail] = []  # text that is refused; the file's other values are still read
        self._reported: set[tuple[int, str]] = set()
        self._constructor = yaml.SafeLoader("")

    def _refuse(self, message: str, node: yaml.Node, loc: Path_) -> None:
        """Record a problem; a value reached through several aliases is reported once."""
        seen = (id(node), message)
        if seen not in self._reported:
            self._reported.add(seen)
            self.problems.append(_Fail(message, node, dotted(loc)))

    def _check_text(self, text: str, node: yaml.Node, loc: Path_, *, key: bool = False) -> None:
        bad = UNSAFE_CHARS.search(text)
        if bad:
            what = "a field name" if key else "text"
            self._refuse(
                f"the character {_char_name(bad.group())} is not allowed in {what} "
                "(a control or bidirectional-override character changes what a reader or a "
                "terminal shows); remove it",
                node,
                loc,
            )
        limit, what = (MAX_KEY_CHARS, "a field name") if key else _size_limit(loc)
        if len(text) > limit:
            self._refuse(
                f"the value is {len(text):,} characters long; {what} holds at most {limit:,} "
                "(see the size limits in docs/content-format.md)",
                node,
                loc[:-1] if key else loc,  # the parent: the field path would repeat the key
            )

    def check_size(self, root: yaml.Node) -> None:
        """Refuse alias bombs and recursive aliases before expanding anything."""
        sizes: dict[int, int] = {}
        active: dict[int, Path_] = {}  # node -> where it was first reached

        def size(node: yaml.Node, depth: int, loc: Path_) -> int:
            key = id(node)
            if key in sizes:
                return sizes[key]
            if key in active:
                raise _Fail(
                    "an alias refers to the value that contains it (recursive alias); write the values out",
                    node,
                    dotted(active[key]),
                )
            if depth > MAX_DEPTH:
                raise _Fail(f"values are nested more than {MAX_DEPTH} levels deep", node, dotted(loc))
            active[key] = loc
            total = 1
            if isinstance(node, yaml.SequenceNode):
                total += sum(size(child, depth + 1, (*loc, i)) for i, child in enumerate(node.value))
            elif isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    name = k.value if isinstance(k, yaml.ScalarNode) else "?"
                    total += size(k, depth + 1, loc) + size(v, depth + 1, (*loc, name))
            del active[key]
            if total > MAX_NODES:
                raise _Fail(
                    f"the value expands to more than {MAX_NODES} values through aliases "
                    "(an alias bomb?); write the values out instead",
                    node,
                    dotted(loc),
                )
            sizes[key] = total
            return total

        size(root, 0, ())

    def build(self, node: yaml.Node, loc: Path_) -> Any:
        self.values[loc] = _pos(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _T + "seq":
                raise _Fail(_tag_message(node.tag), node, dotted(loc))
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        raise _Fail("unexpected YAML node", node)  # pragma: no cover

    def _scalar(self, node: yaml.ScalarNode, loc: Path_) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _Fail(_tag_message(node.tag) + ", or quote the value if it is text", node, dotted(loc))
        if node.tag == _T + "timestamp":
            return UnquotedDate(node.value)
        if node.tag == _T + "str":
            self._check_text(node.value, node, loc)
            return node.value
        digits = sys.get_int_max_str_digits()
        if node.tag == _T + "int" and digits and len(node.value) > digits:
            self._refuse(
                f"a number of {len(node.value):,} characters is too large to read (at most "
                f"{digits:,} digits); if it is text, put it in quotes",
                node,
                loc,
            )
            return None
        self._check_text(node.value, node, loc)
        self.texts[loc] = node.value
        try:
            return self._constructor.construct_object(node)
        except ValueError:  # a number Python refuses to convert
            self._refuse("the number cannot be read; if it is text, put it in quotes", node, loc)
            return None

    def _mapping(self, node: yaml.MappingNode, loc: Path_) -> dict[str, Any]:
        if node.tag != _T + "map":
            raise _Fail(_tag_message(node.tag), node, dotted(loc))
        out: dict[str, Any] = {}
        seen: dict[str, Pos] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _T + "merge":
                merged.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _T + "str":
                what = (
                    shorten(repr(key_node.value))
                    if isinstance(key_node, yaml.ScalarNode)
                    else "a list or mapping"
                )
                raise _Fail(f"keys must be field names (text), got {what}", key_node, dotted(loc))
            key = key_node.value
            self._check_text(key, key_node, (*loc, key), key=True)
            here = _pos(key_node.start_mark)
            if key in seen:
                first = seen[key]
                raise _Fail(
                    f"duplicate key '{shorten(key)}' (first at line {first.line}); YAML would silently "
                    "keep only the last value: merge them into one",
                    key_node,
                    dotted((*loc, key)),
                )
            seen[key] = here
            self.keys[(*loc, key)] = here
            out[key] = self.build(value_node, (*loc, key))
        for source in merged:  # `<<: *base` merge keys, as yaml.safe_load applies them
            items = source.value if isinstance(source, yaml.SequenceNode) else [source]
            for item in items:
                if not isinstance(item, yaml.MappingNode):
                    raise _Fail("a merge key (<<) takes a mapping or a list of mappings", item)
                self._merge(out, item, loc)
        return out

    def _merge(self, out: dict[str, Any], item: yaml.MappingNode, loc: Path_) -> None:
        """Add the keys of ``item`` missing from ``out``, with their positions (and only theirs)."""
        saved = self.values, self.keys, self.texts
        self.values, self.keys, self.texts = {}, {}, {}
        try:
            values = self._mapping(item, loc)
        finally:
            found = self.values, self.keys, self.texts
            self.values, self.keys, self.texts = saved
        for key, value in values.items():
            if key in out:
                continue
            out[key] = value
            prefix = (*loc, key)
            self.values.update(_under(found[0], prefix))
            self.keys.update(_under(found[1], prefix))
            self.texts.update(_under(found[2], prefix))


_V = TypeVar("_V")


def _under(positions: dict[Path_, _V], prefix: Path_) -> dict[Path_, _V]:
    return {loc: v for loc, v in positions.items() if loc[: len(prefix)] == prefix}


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8")


def _line_col(raw: bytes, offset: int) -> Pos:
    """Line and column (in characters) of byte ``offset``; the bytes before it are valid UTF-8."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return Pos(line, column)


_SYNTAX_HINTS = {
    "mapping values are not allowed in this context": (
        "; is the line indented too far, or does text contain ': '? Then put the text in quotes"
    ),
    "found character that cannot start any token": (
        "; text that starts with @, ` or % must be in quotes, and indentation uses spaces, not tabs"
    ),
}


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a new line


def _within(text: str, pos: Pos) -> Pos:
    """``pos``, or the end of the text when libyaml points past it (end of stream)."""
    lines = _LINE_BREAK.split(text)
    if pos.line <= len(lines):
        return pos
    return Pos(len(lines), len(lines[-1]) + 1)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    if problem.startswith("but found another document"):
        return "YAML syntax error: a second document starts here ('---'); a file holds one entry"
    message = f"YAML syntax error: {problem}"
    if exc.context:
        mark = exc.context_mark
        if mark is not None and (exc.problem_mark is None or mark.line != exc.problem_mark.line):
            where = _pos(mark)
            message += f" ({exc.context} that starts at line {where.line}, column {where.column})"
        else:
            message += f" ({exc.context})"
    return message + _SYNTAX_HINTS.get(problem, "")


def _reader_failure(text: str, exc: yaml.YAMLError) -> Diagnostic:
    """Where and what a ReaderError (a character YAML does not allow) is."""
    position = getattr(exc, "position", 0) or 0
    if _LIBYAML:  # libyaml counts UTF-8 bytes, not characters
        position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    lines = _LINE_BREAK.split(text[:position])
    pos = Pos(len(lines), len(lines[-1]) + 1)
    char = getattr(exc, "character", None)
    if isinstance(char, int):
        char = chr(char)
    what = f"the character U+{ord(char):04X}" if isinstance(char, str) and len(char) == 1 else "a character"
    return Diagnostic(
        "", pos.line, pos.column, "", f"{what} is not allowed in YAML (a control character?); remove it"
    )


def parse_text(text: str, display: str) -> tuple[Any, dict[Path_, Pos], dict[Path_, Pos], dict[Path_, str]]:
    """Parse one YAML text into (data, value positions, key positions, texts of non-text scalars).

    Raise :class:`LoadFailure` with located diagnostics.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _within(text, _pos(mark)) if mark else Pos(1, 1)
        raise LoadFailure([Diagnostic(display, pos.line, pos.column, "", _syntax_message(exc))]) from None
    except yaml.YAMLError as exc:  # ReaderError: control characters and the like
        d = _reader_failure(text, exc)
        raise LoadFailure([Diagnostic(display, d.line, d.column, "", d.message)]) from None
    except RecursionError:
        raise LoadFailure(
            [Diagnostic(display, 1, 1, "", f"values are nested more than {MAX_DEPTH} levels deep")]
        ) from None
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _T + "null" and not node.value):
        raise LoadFailure(
            [Diagnostic(display, 1, 1, "", "the file is empty; expected a mapping with at least 'name'")]
        )
    builder = _Builder()
    try:
        builder.check_size(node)
        data = builder.build(node, ())
    except _Fail as fail:
        builder.problems.append(fail)
    if builder.problems:
        raise LoadFailure([_fail_diagnostic(display, fail) for fail in builder.problems])
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        pos = _pos(node.start_mark)
        raise LoadFailure(
            [
                Diagnostic(
                    display, pos.line, pos.column, "", f"expected a mapping of fields (name: ...), got {what}"
                )
            ]
        )
    return data, builder.values, builder.keys, builder.texts


def _fail_diagnostic(display: str, fail: _Fail) -> Diagnostic:
    pos = _pos(fail.node.start_mark) if fail.node is not None else Pos(1, 1)
    return Diagnostic(display, pos.line, pos.column, fail.field, fail.message)


class LoadFailure(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(map(str, diagnostics)))
        self.diagnostics = diagnostics


@dataclass
class Scan:
    """What is in a content folder: the YAML files to read, and every odd entry, located."""

    files: list[Path] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def _yaml_like(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".yaml", ".yml"))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def scan(content_dir: Path) -> Scan:
    """Every entry under ``content_dir``, sorted; nothing odd is skipped without a word.

    Errors: YAML-looking names in the wrong case or extension (``.YAML``, ``.yml``), a file
    named ``.yaml``, folders named like YAML files, broken symbolic links, links that leave
    the content folder or point to a folder, YAML names that are not regular files,
    Windows-reserved names (``con``, ``aux``, ``nul``, ``prn``, ``com1``-``com9``,
    ``lpt1``-``lpt9``) and names that differ only in case. Warnings: hidden files and
    folders (``.DS_Store``, an editor's lock file), which are not read. Other files (a
    README, images) are ignored, as documented.
    """
    found = Scan()
    root = content_dir.resolve()

    def add(errors: list[Diagnostic], path: Path, message: str) -> None:
        errors.append(Diagnostic(display_path(path), 1, 1, "", message))

    def walk(folder: Path) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            add(found.errors, folder, f"cannot read the folder: {exc.strerror or exc}")
            return
        seen: dict[str, str] = {}
        for entry in entries:
            name, path = entry.name, Path(entry.path)
            folded = name.casefold()
            if folded in seen:
                add(
                    found.errors,
                    path,
                    f"'{name}' and '{seen[folded]}' differ only in case: they would be one file on "
                    "Windows and macOS; rename one",
                )
                continue
            seen[folded] = name
            if name.split(".")[0].lower() in WINDOWS_RESERVED:
                add(
                    found.errors,
                    path,
                    f"'{name}' is a reserved name on Windows (the file cannot be checked out there); rename it",
                )
                continue
            hidden = name.startswith(".")
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                add(found.errors, path, f"cannot read: {exc.strerror or exc}")
                continue
            if stat.S_ISLNK(info.st_mode):
                try:
                    target = path.resolve(strict=True)
                    info = target.stat()
                except (OSError, RuntimeError):  # missing target, or a loop of links
                    add(
                        found.warnings if hidden else found.errors,
                        path,
                        ("warning: " if hidden else "")
                        + "a broken symbolic link (its target does not exist); remove it or fix the link",
                    )
                    continue
                if not _inside(target, root):
                    add(
                        found.errors,
                        path,
                        "a symbolic link that leaves the content folder: content is read only "
                        "from inside it; copy the file in instead",
                    )
                    continue
                if stat.S_ISDIR(info.st_mode):
                    add(
                        found.errors,
                        path,
                        "a symbolic link to a folder: kind folders must be real folders, not links",
                    )
                    continue
            if hidden:
                if name.lower() in (".yaml", ".yml"):
                    add(found.errors, path, f"a file named '{name}' has no id: name it <id>.yaml")
                else:
                    what = "folder" if stat.S_ISDIR(info.st_mode) else "file"
                    add(
                        found.warnings,
                        path,
                        f"warning: hidden {what} ignored (names starting with '.' are not read)",
                    )
                continue
            if stat.S_ISDIR(info.st_mode):
                if _yaml_like(name):
                    add(
                        found.errors,
                        path,
                        f"a folder named '{name}': entries are files (<kind>/<id>.yaml), so this one is not read",
                    )
                    continue
                walk(path)
                continue
            if not _yaml_like(name):
                continue  # a README, an image: not content, as docs/content-format.md says
            if not stat.S_ISREG(info.st_mode):
                add(found.errors, path, "not a regular file (a pipe, socket or device?): it is not read")
                continue
            found.files.append(path)  # `.yml`, `.YAML`: refused by _check_location with other name rules

    walk(content_dir)
    return found


def iter_yaml_files(content_dir: Path) -> Iterator[Path]:
    yield from scan(content_dir).files


def content_warnings(content_dir: Path) -> list[Diagnostic]:
    """What is ignored in the content folder but worth saying (hidden files), located."""
    return scan(content_dir).warnings


def _read_limited(path: Path) -> bytes:
    """The file's bytes; :class:`_TooLarge` past :data:`MAX_FILE_BYTES`, without reading more."""
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise _TooLarge(os.stat(path).st_size)
    return raw


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def load(content_dir: Path) -> Loaded:
    """Read every YAML file under ``content_dir``. Never raises for bad content."""
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    all_ids: dict[str, str] = {}
    first_file: dict[str, str] = {}
    found = scan(content_dir)
    diagnostics.extend(found.errors)
    for path in found.files:
        display = display_path(path)
        rel = path.relative_to(content_dir)
        problem = _check_location(rel)
        if problem:
            diagnostics.append(Diagnostic(display, 1, 1, "", problem))
            continue
        kind, file_id = rel.parts[0], path.stem
        if file_id in first_file:
            diagnostics.append(
                Diagnostic(
                    display,
                    1,
                    1,
                    "",
                    f"id '{file_id}' is already used by {first_file[file_id]}; "
                    "ids are unique across all kinds",
                )
            )
            continue
        first_file[file_id] = display
        all_ids[file_id] = kind
        try:
            raw = _read_limited(path)
        except OSError as exc:
            diagnostics.append(Diagnostic(display, 1, 1, "", f"cannot read the file: {exc.strerror}"))
            continue
        except _TooLarge as exc:
            diagnostics.append(
                Diagnostic(
                    display,
                    1,
                    1,
                    "",
                    f"the file is {exc.size:,} bytes; a file holds at most {MAX_FILE_BYTES:,} (2 MB): "
                    "split the text or link to the document instead",
                )
            )
            continue
        try:
            text = _decode(raw)
        except UnicodeDecodeError as exc:
            pos = _line_col(raw, exc.start)
            diagnostics.append(
                Diagnostic(
                    display,
                    pos.line,
                    pos.column,
                    "",
                    f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                )
            )
            continue
        try:
            data, values, keys, texts = parse_text(text, display)
        except LoadFailure as failure:
            diagnostics.extend(failure.diagnostics)
            continue
        documents.append(Document(path, display, kind, file_id, data, values, keys, texts, text))
    return Loaded(documents, diagnostics, all_ids)


def _check_location(rel: Path) -> str | None:
    if rel.suffix == ".yml":
        return "use the extension .yaml (the id is the file name without .yaml)"
    if rel.suffix != ".yaml":
        return f"use the extension .yaml in lowercase, not '{rel.suffix}' (the id is the file name without .yaml)"
    if len(rel.parts) != 2:
        if len(rel.parts) == 1:
            return f"YAML files belong in a kind folder: one of {', '.join(KINDS)}"
        return (
            "YAML files sit directly in a kind folder (content/<kind>/<id>.yaml), "
            f"not in '{rel.parent.as_posix()}'"
        )
    kind = rel.parts[0]
    if kind not in KINDS:
        from .errors import did_you_mean

        hint = did_you_mean(kind, KINDS)
        return f"unknown folder '{kind}'{hint}; expected one of {', '.join(KINDS)}"
    stem = rel.stem
    if len(stem) > MAX_ID_LENGTH or not ID_RE.match(stem):
        return (
            f"bad file name '{rel.name}': the id (file name without .yaml) must be 1 to "
            f"{MAX_ID_LENGTH} lowercase ASCII letters, digits and single hyphens, e.g. kim-jong-un.yaml"
        )
    return None
