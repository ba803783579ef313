"""Content trees for the analysis views (tests/test_analysis.py, goldens in tests/golden/analysis/).

``AUDIT_TREE`` is the small valid tree plus entries that trip every audit check, a second
sanction (sortable dates, an id as legal basis), a transfer (a supplier and a recipient on
the maps) and an actor whose name is markup (escaped everywhere, the SVG included).

``DIFF_OLD`` and ``DIFF_NEW`` are two editions of a tree: between them an entry is renamed
(same name, new id), a date changes precision, a claim is deleted, a claim's status
changes, an entry is added and one removed, and list fields gain and lose items.
"""

from __future__ import annotations

from trees import VALID_TREE, Tree

AUDIT_TREE: Tree = {
    **VALID_TREE,
    "sources/rumour-blog.yaml": """\
name: A rumour blog
publisher: Anonymous blogger
published: "2023-08"
reliability: E
""",
    "actors/united-states.yaml": """\
name: United States
summary: The United States of America.
type: state
sources:
  - {source: 2023-news-article, locator: para 2}
  - {source: un-resolution-1718, locator: p. 1}
reviewed: "2024-01-15"
claims:
  - id: embargo-confirmed
    text: The embargo holds.
    by: united-states
    source: un-resolution-1718
    locator: p. 3
    status: confirmed
""",
    "actors/odd-name.yaml": """\
name: 'A <b>bold</b> & "quoted" {{ 7*7 }} name'
summary: An actor whose name looks like markup.
type: organisation
country: russia
sources: [2023-news-article]
""",
    "sanctions/us-sanctions-2023.yaml": """\
name: US sanctions on Russian arms buyers
summary: Designations of firms buying North Korean arms.
imposed_by: [united-states]
targets: [russia, odd-name]
date: "2023-08-31"
date_text: last week
legal_basis: [un-arms-embargo]
measures:
  - Asset freeze
  - "Travel *ban* on two officials"
status: proposed
sources:
  - {source: 2023-news-article, locator: para 13}
  - {source: rumour-blog, locator: post 2}
reviewed: "2024-01-15"
claims:
  - id: unlawful
    text: The designations are unlawful.
    by: russia
    source: 2023-news-article
    locator: para 14
    status: disputed
""",
    "events/2023-10-shell-shipment.yaml": """\
name: Alleged shell shipment
summary: North Korea is said to have shipped artillery shells to Russia.
type: transfer
date: "2023-10"
supplier: north-korea
recipient: russia
items: [artillery shells]
status: alleged
sources: [rumour-blog]
claims:
  - id: never-shipped
    text: No shells were shipped.
    by: north-korea
    source: rumour-blog
    stance: denies
    date: "2023-09"
""",
}


_OLD_KIM = """\
name: Kim Jong Un
summary: Leader of North Korea.
type: person
country: north-korea
sources:
  - {source: 2023-news-article, locator: para 1}
claims:
  - id: no-arms-sales
    text: North Korea will not sell arms to Russia.
    by: north-korea
    source: 2023-news-article
    date: "2023-09"
    stance: denies
  - id: rarely-travels
    text: Kim rarely travels abroad.
    attribution: the article's authors
    source: 2023-news-article
    status: reported
"""

_NEW_KIM = """\
name: Kim Jong Un
summary: Leader of North Korea since 2011.
type: person
country: north-korea
roles:
  - {title: Supreme Leader, of: north-korea, start: "2011-12"}
sources:
  - {source: 2023-news-article, locator: para 1}
  - {source: un-resolution-1718, locator: p. 2}
claims:
  - id: no-arms-sales
    text: North Korea will not sell arms to Russia.
    by: north-korea
    source: 2023-news-article
    date: "2023-09-04"
    stance: denies
    status: disputed
"""

_COMMON: Tree = {
    "sources/2023-news-article.yaml": """\
name: Putin and Kim plan Russia meeting
published: "2023-09-04"
""",
    "sources/un-resolution-1718.yaml": """\
name: UN Security Council resolution 1718
published: "2006-10-14"
""",
    "actors/north-korea.yaml": """\
name: North Korea
summary: The Democratic People's Republic of Korea.
type: state
sources: [2023-news-article]
""",
    "actors/russia.yaml": """\
name: Russia
summary: The Russian Federation.
type: state
sources: [2023-news-article]
""",
}

DIFF_OLD: Tree = {
    **_COMMON,
    "actors/kim-jong-un.yaml": _OLD_KIM,
    "actors/unnamed-firm.yaml": """\
name: Intellekt LLC
summary: A Moscow firm.
type: organisation
country: russia
sources: [2023-news-article]
""",
    "meetings/2023-09-putin-kim.yaml": """\
name: Putin–Kim meeting
summary: A meeting planned for September 2023.
date: "2023-09"
date_text: later this month
participants: [kim-jong-un, russia]
status: planned
sources: [2023-news-article]
""",
    "events/2023-old-rumour.yaml": """\
name: An old rumour
summary: Dropped in the second edition.
type: other
date: "2023"
sources: [2023-news-article]
""",
}

DIFF_NEW: Tree = {
    **_COMMON,
    "actors/kim-jong-un.yaml": _NEW_KIM,
    "actors/intellekt-llc.yaml": """\
name: Intellekt LLC
summary: A Moscow firm sanctioned by the United States.
type: organisation
country: russia
sources: [2023-news-article]
""",
    "meetings/2023-09-putin-kim.yaml": """\
name: Putin–Kim meeting
summary: A meeting planned for September 2023.
date: "2023-09-13"
date_text: later this month
participants: [kim-jong-un, russia]
host: russia
status: occurred
sources: [2023-news-article]
""",
    "sanctions/2023-08-31-us-sanctions.yaml": """\
name: US sanctions on Intellekt LLC
summary: A designation.
imposed_by: [russia]
targets: [intellekt-llc]
date: "2023-08-31"
sources: [2023-news-article]
claims:
  - id: first-designation
    text: The first of its kind.
    attribution: officials
    source: 2023-news-article
""",
}
