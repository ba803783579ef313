"""Stage 1, load: read ``content/**.yaml`` into plain values with a position for each.

Each file is parsed once, with libyaml's C parser where present, into a node tree;
we then build the values ourselves so that we can keep the line and column of every
value and key, refuse what ``yaml.safe_load`` would silently accept (duplicate keys) or
what it should never see in curated content (tags, alias bombs, unquoted dates).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .errors import Diagnostic, display_path

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
    return f"YAML tag '{_tag(tag)}' is not allowed (content is plain data): remove it"


def dotted(loc: Path_) -> str:
    """``("claims", 0, "by")`` -> ``claims[0].by``, as errors name fields."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Builder:
    """Turns a composed node tree into values, recording positions."""

    def __init__(self) -> None:
        self.values: dict[Path_, Pos] = {}
        self.keys: dict[Path_, Pos] = {}
        self.texts: dict[Path_, str] = {}
        self._constructor = yaml.SafeLoader("")

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
            return node.value
        self.texts[loc] = node.value
        return self._constructor.construct_object(node)

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
                what = repr(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "a list or mapping"
                raise _Fail(f"keys must be field names (text), got {what}", key_node, dotted(loc))
            key = key_node.value
            here = _pos(key_node.start_mark)
            if key in seen:
                first = seen[key]
                raise _Fail(
                    f"duplicate key '{key}' (first at line {first.line}); YAML would silently "
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
        pos = _pos(fail.node.start_mark) if fail.node is not None else Pos(1, 1)
        raise LoadFailure([Diagnostic(display, pos.line, pos.column, fail.field, fail.message)]) from None
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


class LoadFailure(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(map(str, diagnostics)))
        self.diagnostics = diagnostics


def iter_yaml_files(content_dir: Path) -> Iterator[Path]:
    for path in sorted(content_dir.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            yield path


def load(content_dir: Path) -> Loaded:
    """Read every YAML file under ``content_dir``. Never raises for bad content."""
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    all_ids: dict[str, str] = {}
    first_file: dict[str, str] = {}
    for path in iter_yaml_files(content_dir):
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
            raw = path.read_bytes()
        except OSError as exc:
            diagnostics.append(Diagnostic(display, 1, 1, "", f"cannot read the file: {exc.strerror}"))
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
