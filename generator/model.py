"""The typed content model (pydantic v2): the curator's contract in code.

Every model forbids unknown fields and is strict about types, so an unquoted number where
text is expected, or a typo in a field name, is an error rather than a silent surprise.
Cross-entity rules (references resolve, no cycles) belong to :mod:`generator.link`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from .dates import EdtfError, parse_edtf
from .load import ID_RE, MAX_ID_LENGTH

# ---------------------------------------------------------------- scalar types

ID_PATTERN = ID_RE.pattern
CLAIM_REF_PATTERN = ID_PATTERN[:-1] + "#" + ID_PATTERN[1:]
LANG_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
EDTF_PATTERN = r"^[0-9XY~?%/.:T+Z-]+$"


def _check_id(value: str) -> str:
    if len(value) > MAX_ID_LENGTH or not ID_RE.match(value):
        raise ValueError(
            f"'{value}' is not an id: expected lowercase ASCII letters, digits and single hyphens"
        )
    return value


def _check_claim_ref(value: str) -> str:
    entity, sep, claim = value.partition("#")
    if not sep or not ID_RE.match(entity) or not ID_RE.match(claim):
        raise ValueError(f"'{value}' is not a claim reference: expected <entity-id>#<claim-id>")
    return value


def _check_edtf(value: str) -> str:
    try:
        parse_edtf(value)
    except EdtfError as exc:
        raise ValueError(str(exc)) from None
    return value


INVISIBLE = r"\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff"
"""Control and invisible characters (a regex character range): refused in a URL, dropped by browsers."""
_URL_INVISIBLE = re.compile(rf"[\s{INVISIBLE}]")


def _check_url(value: str) -> str:
    """An http(s) address, read as a browser would (entities decoded, whitespace and control
    characters dropped) and as written: both must be http(s) with a host. Spaces and
    invisible characters are refused (percent-encode them); quotes and angle brackets are
    allowed here and percent-encoded wherever the address is printed."""
    if _URL_INVISIBLE.search(value):
        raise ValueError(
            f"{value!r} is not a web address: it contains spaces, control or invisible characters "
            "(write a space as %20)"
        )
    for reading in (value, _URL_INVISIBLE.sub("", html.unescape(value))):
        parts = urlsplit(reading)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"'{value}' is not a web address: expected an http:// or https:// URL")
    return value


TAG_RE = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")


def _check_tag(value: str) -> str:
    if not TAG_RE.match(value) or value != value.lower():
        raise ValueError(
            f"{value!r} is not a tag: a tag is one lowercase keyword of letters and digits, "
            "words joined by single hyphens (e.g. head-of-state)"
        )
    return value


def _check_lang(value: str) -> str:
    if not LANG_RE.match(value):
        raise ValueError(f"'{value}' is not a BCP 47 language tag: expected e.g. ru, ko, ko-Hani")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty; expected text")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
Id = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID_LENGTH}),
]
ClaimRef = Annotated[
    str,
    AfterValidator(_check_claim_ref),
    WithJsonSchema({"type": "string", "pattern": CLAIM_REF_PATTERN}),
]
Date = Annotated[
    str,
    AfterValidator(_check_edtf),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": EDTF_PATTERN,
            "description": (
                'EDTF level 0/1 date in quotes: "2019-04-25", "2023-07", "2023-09~", "2019-02-27/2019-02-28"'
            ),
        }
    ),
]
Url = Annotated[
    str,
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
Tag = Annotated[
    str,
    AfterValidator(_check_tag),
    WithJsonSchema({"type": "string", "pattern": r"^[^\W_]+(?:-[^\W_]+)*$"}),
]
Lang = Annotated[
    str, AfterValidator(_check_lang), WithJsonSchema({"type": "string", "pattern": LANG_RE.pattern})
]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------- parts


class Alias(Strict):
    """Another name for the entry, searchable on the site."""

    name: Text
    lang: Lang | None = None
    note: str | None = None


class NativeName(Strict):
    name: Text
    lang: Lang


class Citation(Strict):
    """Where a fact comes from: a source id and, optionally, where in it."""

    source: Id
    locator: str | None = Field(None, description="paragraph, page or timestamp")
    note: str | None = None


class Place(Strict):
    name: Text
    country: Id | None = Field(None, description="actor id of a state")


class Role(Strict):
    title: Text
    of: Id | None = Field(None, description="actor id of the organisation or state")
    start: Date | None = None
    start_text: str | None = None
    end: Date | None = None
    end_text: str | None = None


class Claim(Strict):
    """An attributed statement: who says what, on what evidence, and who disputes it."""

    id: Id
    text: Text = Field(description="the curator's paraphrase")
    by: Id | None = Field(None, description="actor id of who made the claim")
    attribution: str | None = Field(None, description="who made it, when not an actor entry")
    source: Id
    locator: str | None = None
    date: Date | None = Field(None, description="when it was said")
    date_text: str | None = None
    stance: Literal["asserts", "denies"] = "asserts"
    disputes: list[ClaimRef] = []
    status: Literal["reported", "confirmed", "disputed", "retracted"] | None = None
    about: list[Id] = Field([], description="entities the claim is about (optional)")

    @model_validator(mode="after")
    def _who(self) -> Claim:
        if not self.by and not (self.attribution and self.attribution.strip()):
            raise ValueError("a claim needs 'by' (an actor id) or 'attribution' (who said it)")
        return self


def _shorthand(model: type[Strict], key: str) -> BeforeValidator:
    """Accept a bare string as shorthand for ``{key: string}`` (and say so in the schema)."""

    def convert(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value

    return BeforeValidator(convert, json_schema_input_type=str | model)


AliasItem = Annotated[Alias, _shorthand(Alias, "name")]
CitationItem = Annotated[Citation, _shorthand(Citation, "source")]


# ---------------------------------------------------------------- kinds


class Common(Strict):
    id: Id | None = Field(None, description="optional; must equal the file name")
    name: Text
    body: str | None = None
    aliases: list[AliasItem] = []
    tags: list[Tag] = []
    claims: list[Claim] = []
    reviewed: Date | None = None
    reviewed_text: str | None = None
    notes: str | None = None


class Entry(Common):
    summary: Text
    sources: Annotated[list[CitationItem], Field(min_length=1)]


class Source(Common):
    """A document facts come from: article, statement, resolution."""

    summary: str | None = None
    publisher: str | None = Field(None, description="text, or an actor id")
    published: Date | None = None
    published_text: str | None = None
    url: Url | None = None
    retrieved: Date | None = None
    retrieved_text: str | None = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = None


ActorType = Literal["person", "organisation", "state", "agency", "armed-group", "media", "intergovernmental"]


class Actor(Entry):
    type: ActorType
    country: Id | None = Field(None, description="actor id of a state")
    roles: list[Role] = []
    native_name: NativeName | None = None


class Meeting(Entry):
    date: Date
    date_text: str | None = None
    place: Place | None = None
    participants: Annotated[list[Id], Field(min_length=1)]
    host: Id | None = None
    status: Literal["planned", "reported", "occurred", "cancelled"] | None = None
    follows: list[Id] = []
    outcomes: list[Text] = []


class Sanction(Entry):
    imposed_by: Annotated[list[Id], Field(min_length=1)]
    targets: Annotated[list[Id], Field(min_length=1)]
    date: Date | None = None
    date_text: str | None = None
    legal_basis: Annotated[list[Text], BeforeValidator(_as_list, json_schema_input_type=str | list[str])] = (
        Field([], description="text, or sanction ids (a string that looks like an id must be one)")
    )
    measures: list[Text] = []
    status: Literal["in-force", "proposed", "lifted", "unknown"] | None = None
    reason: str | None = None


TRANSFER_ONLY = ("supplier", "recipient", "items", "status")


class Event(Entry):
    type: Literal["transfer", "statement", "denial", "test", "other"]
    date: Date
    date_text: str | None = None
    place: Place | None = None
    actors: list[Id] = []
    supplier: Id | None = None
    recipient: Id | None = None
    items: list[Text] = []
    status: Literal["alleged", "confirmed", "denied"] | None = None


_HYPHENATED_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")


def is_reference(value: str, known_ids: Collection[str]) -> bool:
    """Whether a "text, or an id" field (``publisher``, ``legal_basis``) holds an id.

    It does when the value is an existing id, or looks like one with a hyphen
    (``unsc-resolution-1718``): such a value that matches nothing is reported as a
    dangling reference (with "did you mean") rather than shown as text. A single plain word
    (``embargo``) that is not an id is text.
    """
    return value in known_ids or bool(_HYPHENATED_ID.match(value))


Entity = Source | Actor | Meeting | Sanction | Event


@dataclass(frozen=True)
class Kind:
    """One kind of entry: its folder in content/ (also its URL segment), model, page
    template and titles. Every other list of kinds is derived from :data:`KINDS`."""

    folder: str
    model: type[Common]
    template: str
    title: str
    singular: str
    search_boost: float = 1.0
    """Weight of the kind's pages in the site search (people and states first, sources last)."""


KINDS: tuple[Kind, ...] = (  # in the order of the sidebar and of every summary
    Kind("actors", Actor, "actor.md.j2", "Actors", "Actor", search_boost=4.0),
    Kind("meetings", Meeting, "meeting.md.j2", "Meetings", "Meeting"),
    Kind("sanctions", Sanction, "sanction.md.j2", "Sanctions", "Sanction"),
    Kind("events", Event, "event.md.j2", "Events", "Event"),
    Kind("sources", Source, "source.md.j2", "Sources", "Source", search_boost=0.5),
)
KIND: dict[str, Kind] = {k.folder: k for k in KINDS}
MODELS: dict[str, type[Common]] = {k.folder: k.model for k in KINDS}

ACTOR_TYPE_TITLES: dict[str, str] = {  # group headings of the actors index, in this order
    "state": "States",
    "intergovernmental": "Intergovernmental bodies",
    "person": "People",
    "agency": "Agencies",
    "organisation": "Organisations",
    "armed-group": "Armed groups",
    "media": "Media",
}
"""A type missing here still gets a group of its own, titled from its name."""
