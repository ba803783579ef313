"""Join the briefing book's parts into one PDF: page numbers, links across parts, outline.

The book is rendered in parts (cover and contents, runs of entries, timeline and index) so
that after an edit only the parts whose HTML changed are laid out again; each part is
cached by the hash of its input. Joining them is cheap and done here with pypdf:

- every link in a part points at an anchor through a placeholder URI
  (:data:`generator.pdf_engine.LINK_SCHEME`); here it becomes a link to the page and
  position of that anchor in the whole book;
- page numbers are printed here, not laid out: "Page X of Y" on every page but the cover,
  and the numbers of the contents, timeline, sanctions table and index, each in the empty
  slot the part reserved for it (an element whose id is ``pgR<n>.<anchor>`` or
  ``pgL<n>.<anchor>``: the page of ``<anchor>``, right- or left-aligned). So no part's
  layout depends on another's page count, and the parts render in parallel and stay cached
  when pages move. The numbers are set in Helvetica, a PDF base font (nothing embedded;
  digits and ASCII only);
- the outline (bookmarks) lists the sections and, under each, its entries;
- title, author, subject and language are set on the document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from .pdf_engine import LINK_SCHEME, Anchor

STAMP_FONT = "/FsPageNumber"
STAMP_SIZE = 7.5
SLOT_SIZE = 8.5  # the page numbers printed in the contents, the tables and the index
SLOT = re.compile(r"^pg([LR])\d+\.(.+)$")
STAMP_RIGHT = 45.35  # the page's right margin (16 mm), in points
STAMP_BASELINE = 31.0  # in points from the bottom edge, level with the running footer
# Helvetica advance widths (1/1000 em) of the characters "Page 0123456789 of" uses
_WIDTHS = {"P": 667, "a": 556, "g": 556, "e": 556, " ": 278, "o": 556, "f": 278} | dict.fromkeys(
    "0123456789", 556
)


@dataclass(frozen=True)
class PartFile:
    """One rendered part of the book: its PDF and where its anchors are."""

    path: Path
    pages: int
    anchors: dict[str, Anchor]


@dataclass
class OutlineItem:
    title: str
    anchor: str
    children: list[OutlineItem] = field(default_factory=list)


def _indirect(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    return writer._add_object(obj)  # pypdf has no public name for adding an object


def _width(text: str, size: float) -> float:
    return sum(_WIDTHS[c] for c in text) * size / 1000


def _text(x: float, y: float, size: float, text: str) -> str:
    return f"BT {STAMP_FONT} {size} Tf 0 g {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


Slot = tuple[str, float, float, float, str]
"""A page number to print: alignment (L or R), left and right edge, baseline, the number."""


def _stamp(writer: PdfWriter, slots: dict[int, list[Slot]]) -> None:
    """Print "Page X of Y" on every page but the cover, and the numbers in their slots."""
    total = len(writer.pages)
    font = _indirect(
        writer,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        ),
    )
    opening = DecodedStreamObject()
    opening.set_data(b"q\n")
    opening_ref = _indirect(writer, opening)
    for index, page in enumerate(writer.pages):
        if index == 0:
            continue  # the cover
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        page[NameObject("/Resources")] = resources
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        resources[NameObject("/Font")] = fonts
        fonts[NameObject(STAMP_FONT)] = font
        footer = f"Page {index + 1} of {total}"
        x = float(page.mediabox.right) - STAMP_RIGHT - _width(footer, STAMP_SIZE)
        ops = [_text(x, STAMP_BASELINE, STAMP_SIZE, footer)]
        for align, left, right, baseline, text in slots.get(index, []):
            x = left if align == "L" else right - _width(text, SLOT_SIZE)
            ops.append(_text(x, baseline, SLOT_SIZE, text))
        closing = DecodedStreamObject()
        closing.set_data(("\nQ\nq\n" + "".join(ops) + "Q\n").encode())
        contents = page.get("/Contents")
        if contents is None:
            old: list[PdfObject] = []
        elif isinstance(contents.get_object(), ArrayObject):
            old = list(contents.get_object())
        else:
            old = [contents]
        page[NameObject("/Contents")] = ArrayObject([opening_ref, *old, _indirect(writer, closing)])


def _resolve_links(writer: PdfWriter, targets: dict[str, tuple[int, float, float]]) -> int:
    """Placeholder links -> links to a page and position; returns how many had no target."""
    refs = [page.indirect_reference for page in writer.pages]
    dropped = 0
    for page in writer.pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        kept = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if not (isinstance(uri, str) and uri.startswith(LINK_SCHEME)):
                kept.append(ref)
                continue
            target = targets.get(uri[len(LINK_SCHEME) :])
            if target is None:
                dropped += 1
                continue
            number, x, y = target
            del annot["/A"]
            annot[NameObject("/Dest")] = ArrayObject(
                [refs[number], NameObject("/XYZ"), FloatObject(x), FloatObject(y), NumberObject(0)]
            )
            kept.append(ref)
        page[NameObject("/Annots")] = kept
    return dropped


def join(
    parts: Sequence[PartFile],
    outline: Sequence[OutlineItem],
    metadata: dict[str, str],
    lang: str = "en",
) -> bytes:
    """The book as PDF bytes: the parts in order, linked, numbered, with an outline."""
    writer = PdfWriter()
    targets: dict[str, tuple[int, float, float]] = {}
    placed: list[tuple[int, str, float, float, float, str]] = []  # page, align, box, target
    for part in parts:
        offset = len(writer.pages)
        for page in PdfReader(part.path).pages:
            writer.add_page(page)
        for name, (page_index, left, top, right, bottom) in part.anchors.items():
            slot = SLOT.match(name)
            if slot:
                placed.append((offset + page_index, slot[1], left, right, bottom, slot[2]))
            else:
                targets.setdefault(name, (offset + page_index, left, top))
    numbers = {name: index + 1 for name, (index, _x, _y) in targets.items()}
    slots: dict[int, list[Slot]] = {}
    for index, align, left, right, baseline, target in placed:
        if target in numbers:
            slots.setdefault(index, []).append((align, left, right, baseline, str(numbers[target])))
    _resolve_links(writer, targets)
    _stamp(writer, slots)

    def add(items: Sequence[OutlineItem], parent: IndirectObject | None) -> None:
        for item in items:
            target = targets.get(item.anchor)
            if target is None:
                continue
            number, x, y = target
            ref = writer.add_outline_item(
                title=item.title, page_number=number, parent=parent, fit=Fit.xyz(x, y), is_open=False
            )
            add(item.children, ref)

    add(outline, None)
    writer.add_metadata({f"/{key}": value for key, value in metadata.items()})
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    writer.create_viewer_preferences()[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
