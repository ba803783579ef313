"""Small content trees built in tests: one valid tree and a writer for any tree."""

from __future__ import annotations

from pathlib import Path

Tree = dict[str, str | bytes]

# 2 sources, 4 actors (two states, a person, a media outlet), 2 meetings (one follows the other), 1 sanction and
# 1 event whose claims dispute each other.
VALID_TREE: Tree = {
    "sources/2023-news-article.yaml": """\
name: Putin and Kim plan Russia meeting
summary: A news report based on US officials.
publisher: associated-press
published: "2023-09-04?"
url: https://example.org/news/putin-kim
retrieved: "2024-04-28"
reliability: B
""",
    "sources/un-resolution-1718.yaml": """\
name: UN Security Council resolution 1718
publisher: United Nations
published: "2006-10-14"
""",
    "actors/north-korea.yaml": """\
name: North Korea
summary: The Democratic People's Republic of Korea.
type: state
aliases:
  - DPRK
  - {name: 조선민주주의인민공화국, lang: ko}
sources: [2023-news-article]
""",
    "actors/russia.yaml": """\
name: Russia
summary: The Russian Federation.
type: state
sources: [2023-news-article]
""",
    "actors/kim-jong-un.yaml": """\
name: Kim Jong Un
summary: Leader of North Korea.
type: person
country: north-korea
native_name: {name: 김정은, lang: ko}
roles:
  - {title: Supreme Leader, of: north-korea, start: "2011-12"}
sources:
  - {source: 2023-news-article, locator: para 1}
claims:
  - id: no-arms-sales
    text: North Korea will not sell arms to Russia.
    by: north-korea
    source: 2023-news-article
    date: "2023-09"
    stance: denies
    disputes: ["2023-arms-talks-statement#talks-advancing"]
""",
    "actors/associated-press.yaml": """\
name: Associated Press
summary: A news agency.
type: media
sources: [2023-news-article]
""",
    "meetings/2019-04-25-vladivostok-summit.yaml": """\
name: Vladivostok summit
summary: First meeting of Putin and Kim.
date: "2019-04-25"
place: {name: Vladivostok, country: russia}
participants: [kim-jong-un, russia]
host: russia
status: occurred
sources: [2023-news-article]
""",
    "meetings/2023-09-putin-kim-meeting.yaml": """\
name: Planned Putin–Kim meeting
summary: A meeting US officials expected in September 2023.
date: "2023-09~"
date_text: later this month
participants: [kim-jong-un, russia]
status: planned
follows: [2019-04-25-vladivostok-summit]
sources: [2023-news-article]
""",
    "sanctions/un-arms-embargo.yaml": """\
name: UN arms embargo on North Korea
summary: Resolution 1718 bans arms transfers to and from North Korea.
imposed_by: [russia]
targets: [north-korea]
date: "2006-10-14"
legal_basis: UN Security Council resolution 1718
measures: [arms embargo]
status: in-force
sources: [un-resolution-1718]
""",
    "events/2023-arms-talks-statement.yaml": """\
name: US statement on arms talks
summary: The White House says arms talks are advancing.
type: statement
date: "2023-09-04"
actors: [russia, north-korea]
sources: [2023-news-article]
claims:
  - id: talks-advancing
    text: Arms negotiations are actively advancing.
    attribution: a US National Security Council spokesperson
    source: 2023-news-article
    stance: asserts
    status: disputed
    disputes: ["kim-jong-un#no-arms-sales"]
    about: [russia, kim-jong-un]
""",
}


def write_tree(root: Path, tree: Tree) -> Path:
    """Write ``tree`` (paths relative to ``root``) and return ``root``."""
    for rel, text in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root
