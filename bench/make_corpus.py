#!/usr/bin/env python3
"""Write a synthetic, valid factsheet content tree (for benchmarks and stress tests).

Deterministic: the same ``--count``, ``--seed`` (and script version) give the same bytes.
Standard library only, so it runs before the project is installed.

    python bench/make_corpus.py --count 1000 --out /tmp/corpus --seed 1
    factsheet check --content /tmp/corpus

The tree has all five kinds, cross-references of every sort the format has (countries,
roles, participants, hosts, ``follows`` chains without cycles, sanctions whose legal basis
is another sanction, transfers with supplier and recipient, claims that dispute other
claims), aliases in Latin, Cyrillic, Hangul and Han script, and EDTF dates at every
precision the format allows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

KINDS = ("sources", "actors", "meetings", "sanctions", "events")
# share of each kind in the corpus (the rest of the rounding goes to actors)
SHARES = {"sources": 0.08, "actors": 0.42, "meetings": 0.20, "sanctions": 0.12, "events": 0.18}

# ------------------------------------------------------------------ name material

ONSETS = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch", "kh", "zh", "ts"]
VOWELS = ["a", "e", "i", "o", "u", "ya", "yu"]
CODAS = ["", "", "", "n", "r", "s", "v", "k", "l", "m"]
LATIN_TO_CYRILLIC = [
    ("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"),
    ("ya", "я"), ("yu", "ю"), ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("g", "г"),
    ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("z", "з"), ("y", "й"),
]  # fmt: skip
HANGUL = list("김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허남심노하곽성차주우구민유나진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌갈")  # fmt: skip
HAN = list("金李朴崔鄭姜趙尹張林韓吳徐申權黃安宋柳洪全高文梁孫裵白許南沈盧河郭成車朱禹具閔俞羅陳池嚴蔡元千方孔玄咸卞廉呂秋都蘇石宣薛馬吉延魏表明奇潘王琴玉陸印孟諸牟卓國魚殷片龍芮慶奉史夫賈卜太睦邢皮杜甘陰賓董溫扈范左葛")  # fmt: skip
STATE_FORMS = ["Republic of {}", "Kingdom of {}", "{}", "Federal Republic of {}", "{} Federation"]
ORG_FORMS = {
    "organisation": ["{} Trading Company", "{} Holdings", "{} Machine Works", "{} Shipping & Logistics"],
    "agency": [
        "{} Ministry of Defence",
        "{} Foreign Ministry",
        "{} Intelligence Bureau",
        "{} Treasury Office",
    ],
    "armed-group": ["{} Volunteer Corps", "{} Brigade", "{} Liberation Front"],
    "media": ["{} Daily", "{} News Agency", "{} Broadcasting", "The {} Herald"],
    "intergovernmental": ["{} Security Council", "{} Cooperation Organisation", "{} Union"],
}
TITLES = ["Minister of Defence", "Foreign Minister", "President", "Chairman", "Spokesperson",
          "Director", "Ambassador", "Deputy Prime Minister", "Chief of General Staff", "Envoy"]  # fmt: skip
MEETING_FORMS = ["{} summit in {}", "Talks between {} and {}", "Visit by {} to {}", "Phone call: {} and {}",
                 "Exchange of letters: {} and {}", "Working-level talks in {} ({})"]  # fmt: skip
ITEMS = ["artillery shells", "rockets", "rifle ammunition", "anti-tank missiles", "drones", "fuel",
         "machine tools", "spare parts", "food aid", "satellite components", "trucks", "radar sets"]  # fmt: skip
MEASURES = ["asset freeze", "travel ban", "arms embargo", "export ban on dual-use goods",
            "ban on financial transactions", "port-entry ban for designated vessels", "import ban on coal"]  # fmt: skip
LEGAL_TEXT = ["UN Security Council resolution {} ({})", "Executive Order {} of {}", "Council Regulation (EU) {}/{}",
              "Foreign Exchange and Foreign Trade Act, art. {} ({})"]  # fmt: skip
TAGS = ["arms-trade", "diplomacy", "sanctions", "nuclear", "missiles", "shipping", "finance", "energy",
        "cyber", "summit", "denial", "intelligence", "border", "food-security"]  # fmt: skip
PUBLISHER_TEXT = ["Government gazette", "Official press release", "Court filing", "Wire report"]

# ------------------------------------------------------------------ YAML writing


def q(text: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in mapping.items()) + "}"


def scalar(value: Any) -> str:
    if isinstance(value, str):
        return q(value)
    if isinstance(value, dict):
        return flow(value)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    raise TypeError(value)


def emit(entry: dict[str, Any]) -> str:
    """Block-style YAML of one entry, in the key order given, one flow item per list line."""
    lines: list[str] = []
    for key, value in entry.items():
        if isinstance(value, str) and "\n" in value:
            lines.append(f"{key}: |")
            lines.extend(("  " + line) if line else "" for line in value.rstrip("\n").split("\n"))
        elif isinstance(value, list) and value and isinstance(value[0], dict) and key == "claims":
            lines.append(f"{key}:")
            for claim in value:
                first = True
                for ck, cv in claim.items():
                    lines.append(("  - " if first else "    ") + f"{ck}: {scalar(cv)}")
                    first = False
        elif isinstance(value, list) and value:
            lines.append(f"{key}:")
            lines.extend(f"  - {scalar(v)}" for v in value)
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the generator


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Corpus:
    def __init__(self, count: int, seed: int) -> None:
        self.r = random.Random(seed)
        self.count = count
        self.seq = 0
        self.entries: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in KINDS}
        self.claim_refs: list[str] = []

    # -- small helpers

    def new_id(self, name: str) -> str:
        self.seq += 1
        suffix = f"-{self.seq}"
        return (slug(name)[: 80 - len(suffix)].strip("-") or "entry") + suffix

    def word(self, syllables: tuple[int, int] = (2, 3)) -> str:
        n = self.r.randint(*syllables)
        return "".join(self.r.choice(ONSETS) + self.r.choice(VOWELS) + self.r.choice(CODAS) for _ in range(n))

    @staticmethod
    def cyrillic(latin: str) -> str:
        out, i, low = [], 0, latin.lower()
        while i < len(low):
            for lat, cyr in LATIN_TO_CYRILLIC:
                if low.startswith(lat, i):
                    out.append(cyr.upper() if latin[i].isupper() else cyr)
                    i += len(lat)
                    break
            else:
                out.append(latin[i])
                i += 1
        return "".join(out)

    def hangul(self, n: int = 3) -> str:
        return "".join(self.r.choice(HANGUL) for _ in range(n))

    def han(self, n: int = 3) -> str:
        return "".join(self.r.choice(HAN) for _ in range(n))

    def day(self, start: int = 1990, end: int = 2025) -> dt.date:
        first = dt.date(start, 1, 1).toordinal()
        return dt.date.fromordinal(self.r.randint(first, dt.date(end, 12, 31).toordinal()))

    def edtf(self, d: dt.date) -> str:
        """The date at a random precision, sometimes approximate, uncertain or an interval."""
        roll = self.r.random()
        if roll < 0.50:
            return d.isoformat()
        if roll < 0.68:
            return d.strftime("%Y-%m")
        if roll < 0.73:
            return str(d.year)
        if roll < 0.80:
            return d.strftime("%Y-%m") + "~"
        if roll < 0.87:
            return d.isoformat() + "?"
        if roll < 0.90:
            return f"{d.year}-{21 + (d.month % 12) // 3}"  # a season
        end = d + dt.timedelta(days=self.r.randint(1, 40))
        return f"{d.isoformat()}/{end.isoformat()}"

    def pick(self, kind: str, n: int = 1, where: Any = None) -> list[str]:
        pool = [i for i, e in self.entries[kind].items() if where is None or where(e)]
        return self.r.sample(pool, min(n, len(pool))) if pool else []

    def actors_of(self, *types: str) -> list[str]:
        return [i for i, e in self.entries["actors"].items() if e["type"] in types]

    def citations(self) -> list[Any]:
        out: list[Any] = []
        for sid in self.pick("sources", self.r.choice([1, 1, 1, 2, 3])):
            if self.r.random() < 0.5:
                out.append(sid)
            else:
                out.append({"source": sid, "locator": f"para {self.r.randint(1, 30)}"})
        return out

    def script_aliases(self, latin: str, lang_ru: bool = True) -> list[Any]:
        aliases: list[Any] = []
        if lang_ru:
            aliases.append({"name": self.cyrillic(latin), "lang": "ru"})
        if self.r.random() < 0.6:
            aliases.append({"name": self.hangul(self.r.randint(2, 4)), "lang": "ko"})
        if self.r.random() < 0.4:
            aliases.append({"name": self.han(self.r.randint(2, 4)), "lang": "ko-Hani"})
        if self.r.random() < 0.3:
            aliases.append(
                {"name": self.han(self.r.randint(2, 3)), "lang": "zh", "note": "Chinese press usage"}
            )
        if " " in latin and self.r.random() < 0.5:
            aliases.append(latin.replace(" ", "-"))
        return aliases

    def summary(self, subject: str) -> str:
        verbs = ["is reported to", "was said by officials to", "according to the sources, did"]
        what = ["negotiate arms supplies", "meet foreign envoys", "evade *sanctions*", "deny the reports",
                "expand trade & shipping links", "host a delegation"]  # fmt: skip
        return f"{subject} {self.r.choice(verbs)} {self.r.choice(what)}. Synthetic entry for benchmarks."

    def body(self) -> str:
        lines = [
            "Background drawn from **several reports**; the dates are the curator's reading.",
            "",
            f"- first mentioned in {self.r.randint(1990, 2024)}",
            f"- related figures: {self.r.randint(2, 900)} units, value < {self.r.randint(1, 99)} million",
            "",
            "Analysts disagree on the scale; see the claims below.",
        ]
        return "\n".join(lines) + "\n"

    def common_tail(self, entry: dict[str, Any], subject: str) -> None:
        entry["tags"] = self.r.sample(TAGS, self.r.randint(1, 3))
        entry["sources"] = self.citations()
        if self.r.random() < 0.3:
            entry["body"] = self.body()
        if self.r.random() < 0.2:
            entry["reviewed"] = self.day(2024, 2025).isoformat()
        if self.r.random() < 0.15:
            entry["notes"] = f"Dates for {subject} established from the earliest report."

    # -- kinds

    def make_states(self, n: int) -> None:
        for _ in range(n):
            root = self.word((2, 3)).capitalize()
            name = self.r.choice(STATE_FORMS).format(root)
            aid = self.new_id(root)
            self.entries["actors"][aid] = {
                "name": name,
                "summary": f"{name} is a state in this synthetic briefing.",
                "type": "state",
                "native_name": {"name": self.cyrillic(root), "lang": "ru"},
                "aliases": [root, *self.script_aliases(root)],
            }

    def make_orgs(self, n: int) -> None:
        states = self.actors_of("state")
        types = ["organisation", "agency", "armed-group", "media", "intergovernmental"]
        weights = [40, 25, 10, 15, 10]
        for _ in range(n):
            typ = self.r.choices(types, weights)[0]
            root = self.word((2, 3)).capitalize()
            name = self.r.choice(ORG_FORMS[typ]).format(root)
            aid = self.new_id(name)
            entry: dict[str, Any] = {"name": name, "summary": self.summary(name), "type": typ}
            if typ != "intergovernmental" and states:
                entry["country"] = self.r.choice(states)
            entry["aliases"] = self.script_aliases(name, lang_ru=self.r.random() < 0.7)
            self.entries["actors"][aid] = entry

    def make_people(self, n: int) -> None:
        states = self.actors_of("state")
        bodies = self.actors_of("state", "agency", "organisation", "intergovernmental")
        for _ in range(n):
            given, family = self.word((1, 2)).capitalize(), self.word((2, 3)).capitalize()
            name = f"{given} {family}"
            aid = self.new_id(name)
            entry: dict[str, Any] = {"name": name, "summary": self.summary(name), "type": "person"}
            if states:
                entry["country"] = self.r.choice(states)
            entry["native_name"] = {"name": self.cyrillic(name), "lang": "ru"}
            entry["aliases"] = [f"{family} {given}", *self.script_aliases(name)]
            roles = []
            for _ in range(self.r.choice([0, 1, 1, 2])):
                role: dict[str, Any] = {"title": self.r.choice(TITLES)}
                if bodies:
                    role["of"] = self.r.choice(bodies)
                start = self.day(1990, 2020)
                role["start"] = self.edtf(start).split("/")[0]
                if self.r.random() < 0.4:
                    role["end"] = (start + dt.timedelta(days=self.r.randint(200, 2000))).strftime("%Y-%m")
                roles.append(role)
            if roles:
                entry["roles"] = roles
            self.entries["actors"][aid] = entry

    def make_sources(self, n: int) -> None:
        media = self.actors_of("media")
        for _ in range(n):
            topic = self.word((2, 3)).capitalize()
            name = (
                f"Report on {topic} ({self.r.choice(['news report', 'statement', 'resolution', 'briefing'])})"
            )
            sid = self.new_id(name)
            published = self.day(1995, 2025)
            entry: dict[str, Any] = {"name": name}
            if self.r.random() < 0.6:
                entry["summary"] = f"Document describing events around {topic}."
            if media and self.r.random() < 0.5:
                entry["publisher"] = self.r.choice(media)
            else:
                entry["publisher"] = self.r.choice(PUBLISHER_TEXT)
            entry["published"] = self.edtf(published).split("/")[0]
            if self.r.random() < 0.3:
                entry["published_text"] = "Monday"
            if self.r.random() < 0.7:
                entry["url"] = f"https://example.org/{slug(topic)}/{self.seq}"
            entry["retrieved"] = (published + dt.timedelta(days=self.r.randint(1, 900))).isoformat()
            entry["reliability"] = self.r.choice("ABBCCDEF")
            entry["tags"] = self.r.sample(TAGS, 2)
            self.entries["sources"][sid] = entry

    def place(self) -> dict[str, Any]:
        city = self.word((2, 3)).capitalize()
        place: dict[str, Any] = {"name": city}
        states = self.actors_of("state")
        if states and self.r.random() < 0.8:
            place["country"] = self.r.choice(states)
        return place

    def make_meetings(self, n: int) -> None:
        actors = list(self.entries["actors"])
        states = self.actors_of("state")
        dates = sorted(self.day(1995, 2025) for _ in range(n))
        made: list[str] = []
        for d in dates:
            who = self.r.sample(actors, min(len(actors), self.r.randint(1, 4)))
            names = [self.entries["actors"][a]["name"] for a in who]
            place = self.place()
            form = self.r.choice(MEETING_FORMS)
            name = form.format(names[0], names[1] if len(names) > 1 else place["name"])
            mid = self.new_id(f"{d.year} {name}")
            entry: dict[str, Any] = {"name": name, "summary": self.summary(f"The meeting in {place['name']}")}
            entry["date"] = self.edtf(d)
            if self.r.random() < 0.3:
                entry["date_text"] = self.r.choice(
                    ["later this month", "last week", "in the spring", "Monday"]
                )
            entry["place"] = place
            entry["participants"] = who
            if self.r.random() < 0.6:
                entry["host"] = self.r.choice(states or who)
            entry["status"] = self.r.choice(["planned", "reported", "occurred", "occurred", "cancelled"])
            if made and self.r.random() < 0.5:  # only earlier meetings: no cycles
                entry["follows"] = self.r.sample(made[-20:], min(len(made[-20:]), self.r.randint(1, 2)))
            if self.r.random() < 0.5:
                entry["outcomes"] = [
                    f"agreed to {self.r.choice(['meet again', 'expand trade', 'exchange envoys'])}"
                ]
            entry["aliases"] = [
                f"{place['name']} {d.year}",
                {"name": f"{self.cyrillic(place['name'])}, {d.year}", "lang": "ru"},
                {"name": f"{self.hangul(3)} 회담", "lang": "ko"},
            ]
            self.common_tail(entry, name)
            self.entries["meetings"][mid] = entry
            made.append(mid)

    def make_sanctions(self, n: int) -> None:
        imposers = self.actors_of("state", "intergovernmental", "agency") or list(self.entries["actors"])
        targets = list(self.entries["actors"])
        dates = sorted(self.day(2000, 2025) for _ in range(n))
        made: list[str] = []
        for d in dates:
            by = self.r.sample(imposers, min(len(imposers), self.r.randint(1, 2)))
            on = self.r.sample(targets, min(len(targets), self.r.randint(1, 5)))
            target_name = self.entries["actors"][on[0]]["name"]
            name = f"{self.r.choice(MEASURES).capitalize()} on {target_name} ({d.year})"
            sid = self.new_id(name)
            entry: dict[str, Any] = {
                "name": name,
                "summary": self.summary(f"The measure against {target_name}"),
            }
            entry["imposed_by"] = by
            entry["targets"] = on
            entry["date"] = self.edtf(d)
            basis: list[str] = []
            if made and self.r.random() < 0.4:
                basis.extend(self.r.sample(made, min(len(made), self.r.randint(1, 2))))
            if self.r.random() < 0.7:
                form = self.r.choice(LEGAL_TEXT)
                basis.append(form.format(self.r.randint(100, 2800), d.year))
            if basis:
                entry["legal_basis"] = basis
            entry["measures"] = self.r.sample(MEASURES, self.r.randint(1, 3))
            entry["status"] = self.r.choice(["in-force", "in-force", "proposed", "lifted", "unknown"])
            if self.r.random() < 0.5:
                entry["reason"] = "Alleged support for weapons programmes."
            entry["aliases"] = [{"name": self.cyrillic(self.word((2, 3))) + " санкции", "lang": "ru"}]
            self.common_tail(entry, name)
            self.entries["sanctions"][sid] = entry
            made.append(sid)

    def make_events(self, n: int) -> None:
        actors = list(self.entries["actors"])
        suppliers = self.actors_of("state", "organisation", "armed-group") or actors
        for _ in range(n):
            d = self.day(1995, 2025)
            typ = self.r.choices(["transfer", "statement", "denial", "test", "other"], [35, 25, 15, 15, 10])[
                0
            ]
            entry: dict[str, Any] = {}
            if typ == "transfer" and len(suppliers) >= 1 and actors:
                supplier = self.r.choice(suppliers)
                recipient = self.r.choice(actors)
                items = self.r.sample(ITEMS, self.r.randint(1, 3))
                name = f"Transfer of {items[0]} from {self.entries['actors'][supplier]['name']}"
            else:
                typ = "statement" if typ == "transfer" else typ
                name = f"{typ.capitalize()} by {self.entries['actors'][self.r.choice(actors)]['name']}"
            eid = self.new_id(f"{d.year} {name}")
            entry["name"] = name
            entry["summary"] = self.summary("The event")
            entry["type"] = typ
            entry["date"] = self.edtf(d)
            if self.r.random() < 0.5:
                entry["place"] = self.place()
            entry["actors"] = self.r.sample(actors, min(len(actors), self.r.randint(1, 3)))
            if typ == "transfer":
                entry["supplier"] = supplier
                entry["recipient"] = recipient
                entry["items"] = items
                entry["status"] = self.r.choice(["alleged", "alleged", "confirmed", "denied"])
            entry["aliases"] = [{"name": self.hangul(4), "lang": "ko"}]
            self.common_tail(entry, name)
            self.entries["events"][eid] = entry

    def add_claims(self) -> None:
        people = self.actors_of("person")
        sources = list(self.entries["sources"])
        everything = [(k, i) for k in ("actors", "meetings", "sanctions", "events") for i in self.entries[k]]
        for kind, eid in everything:
            if self.r.random() > 0.3:
                continue
            claims = []
            for n in range(1, self.r.randint(1, 3) + 1):
                claim: dict[str, Any] = {"id": f"claim-{n}", "text": f"Statement {n} about this entry."}
                if people and self.r.random() < 0.7:
                    claim["by"] = self.r.choice(people)
                else:
                    claim["attribution"] = "two senior officials, speaking anonymously"
                claim["source"] = self.r.choice(sources)
                claim["date"] = self.day(2000, 2025).strftime("%Y-%m")
                claim["stance"] = "denies" if self.r.random() < 0.25 else "asserts"
                ref = f"{eid}#claim-{n}"
                if self.claim_refs and self.r.random() < 0.35:
                    claim["disputes"] = [self.r.choice(self.claim_refs)]
                    claim["status"] = "disputed"
                else:
                    claim["status"] = self.r.choice(["reported", "confirmed", "retracted"])
                if self.r.random() < 0.5:
                    claim["about"] = [self.r.choice(everything)[1]]
                claims.append(claim)
                self.claim_refs.append(ref)
            self.entries[kind][eid]["claims"] = claims

    # -- all together

    def plan(self) -> dict[str, int]:
        n = self.count
        counts = {k: int(n * SHARES[k]) for k in KINDS}
        counts["sources"] = max(1, counts["sources"])
        counts["actors"] += n - sum(counts.values())
        if counts["actors"] < 0:  # tiny corpora: sources only
            counts = {k: 0 for k in KINDS} | {"sources": n}
        return counts

    def build(self) -> dict[str, dict[str, dict[str, Any]]]:
        counts = self.plan()
        n_actors = counts["actors"]
        n_states = min(n_actors, max(1, n_actors * 12 // 100)) if n_actors else 0
        n_orgs = (n_actors - n_states) * 35 // 100
        self.make_states(n_states)
        self.make_orgs(n_orgs)
        self.make_people(n_actors - n_states - n_orgs)
        self.make_sources(counts["sources"])
        # entries made before their sources existed get their citations now
        if self.entries["actors"]:
            for entry in self.entries["actors"].values():
                self.common_tail(entry, entry["name"])
        if n_actors:
            self.make_meetings(counts["meetings"])
            self.make_sanctions(counts["sanctions"])
            self.make_events(counts["events"])
            self.add_claims()
        else:  # sources only: the rest needs actors
            for _ in range(sum(counts[k] for k in ("meetings", "sanctions", "events"))):
                self.make_sources(1)
        return self.entries


def write(entries: dict[str, dict[str, dict[str, Any]]], out: Path) -> int:
    written = 0
    for kind in KINDS:
        folder = out / kind
        folder.mkdir(parents=True, exist_ok=True)
        for eid in sorted(entries[kind]):
            text = f"# synthetic entry (bench/make_corpus.py)\n{emit(entries[kind][eid])}"
            (folder / f"{eid}.yaml").write_text(text, encoding="utf-8", newline="\n")
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="number of entities (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="content folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="replace the kind folders if --out is not empty")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if args.out.exists() and any(args.out.iterdir()):
        if not args.force:
            parser.error(f"{args.out} is not empty (use --force to replace its kind folders)")
        for kind in KINDS:
            shutil.rmtree(args.out / kind, ignore_errors=True)
    entries = Corpus(args.count, args.seed).build()
    n = write(entries, args.out)
    parts = ", ".join(f"{len(entries[k])} {k}" for k in KINDS)
    print(f"wrote {n} entries to {args.out} ({parts})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
