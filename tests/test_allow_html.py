"""`allow_html: true` goes through the sanitizer: with every string of the hostile corpus,
no script, handler, style, remote load or script URL comes out, whatever the output (site
Markdown, one-line Markdown, PDF HTML) and however a Markdown engine then reads it."""

from __future__ import annotations

import markdown
import pytest
from hostile import ATTACKS, DANGEROUS_TAGS, URL_ATTRS, Attack, elements, url_scheme

from generator.markup import markdown_html, markdown_inline, markdown_text

# what the MkDocs site reads the generated Markdown with (the project's own extensions on)
SITE_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", "admonition"]


def _entry_links(entity_id: str, claim_id: str | None) -> str | None:
    return "../actors/kim-jong-un.md" if entity_id == "kim-jong-un" else None


def _problems(html: str) -> list[str]:
    found = []
    for el in elements(html, fragment=True):
        if el.tag in DANGEROUS_TAGS:
            found.append(f"element {el}")
        for name, value in el.attrs:
            if name.startswith("on") or name == "style":
                found.append(f"attribute {name} on {el}")
            if name in URL_ATTRS:
                scheme = url_scheme(value)
                if name != "href" or (scheme is not None and scheme not in ("http", "https", "mailto")):
                    found.append(f"{name}={value!r} on {el}")
    return found


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
@pytest.mark.parametrize("allow_html", [False, True], ids=["escaped", "allow_html"])
def test_no_markup_gets_through(attack: Attack, allow_html: bool) -> None:
    text = f"Before [Kim](kim-jong-un) {attack.text} after <b>bold</b>"
    site = markdown.markdown(
        markdown_text(text, _entry_links, allow_html)
        + "\n\n"
        + markdown_inline(text, _entry_links, allow_html),
        extensions=SITE_EXTENSIONS,
    )
    pdf = markdown_html(text, _entry_links, allow_html)
    for output in (site, str(pdf)):
        assert not _problems(output), (attack.id, output)
        assert "fspwned" not in output and "1337" not in output
    assert '<a href="../actors/kim-jong-un.md">Kim</a>' in site  # entry links still work
    if not allow_html:
        assert "<b>" not in site  # raw HTML is text unless the project opts in


def test_allowed_tags_are_kept_and_everything_else_removed() -> None:
    text = (
        'H<sub>2</sub>O <abbr title="Democratic People\'s Republic">DPRK</abbr> <b onclick="x()">b</b> '
        '<span lang="ko" style="color:red">김정은</span> <img src="https://evil.example/p.png"> '
        "<table><tr><td>cell</td></tr></table>"
    )
    site = markdown.markdown(markdown_text(text, _entry_links, allow_html=True), extensions=SITE_EXTENSIONS)
    assert "H<sub>2</sub>O" in site and '<abbr title="Democratic People&#39;s Republic">DPRK</abbr>' in site
    assert "<b>b</b>" in site and '<span lang="ko">김정은</span>' in site
    assert "<table><tbody><tr><td>cell</td></tr></tbody></table>" in site
    assert "img" not in site and "onclick" not in site and "style" not in site
