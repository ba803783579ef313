#!/usr/bin/env python3
"""Performance at scale (issue #14): every figure, each as a ratio to a baseline of the same run.

    .venv/bin/python bench/bench_perf.py                       # 100, 1,000 and 5,000 entries; 10,000 for the I/O floor
    .venv/bin/python bench/bench_perf.py --counts 1000 --floor 0 --runs 1   # quicker
    .venv/bin/python bench/bench_perf.py --quick                # the smoke test's tiny run (seconds)

Every command runs as a fresh process (what a user waits for), ``--warmup`` times unmeasured,
then ``--runs`` times; figures are medians. Synthetic content comes from
``bench/make_corpus.py``; everything is built in a temporary folder, never in the repository.

For each entry count N:

- ``check``, ``build``: ``factsheet check`` and ``factsheet build`` (Markdown only);
- ``plain``: ``mkdocs build`` with MkDocs + Material and *no* factsheet plugin, on the very
  pages ``factsheet build`` wrote (same theme, search, Markdown extensions, navigation and
  assets): what the site costs without us;
- ``site``: ``mkdocs build`` with the plugin (the repository's ``mkdocs.yml``); its ratio to
  ``plain`` is the plugin's overhead (target at most 1.1);
- peak memory (RSS) of both builds; the median size of a built HTML page;
- search: the bytes a browser downloads for its first search (``search/search_index.json``,
  as served and gzip-compressed as static hosts send it), for the plugin's site and for
  Material's default indexing of the same pages (the ``plain`` site).

Then, with the ``--serve`` count: ``mkdocs serve`` on that corpus, one meeting renamed
``--edits`` times; the figure is the time from saving the file until a participant's page
shows the new name, with the plugin's page cache and without it (``FACTSHEET_SERVE_CACHE=0``,
every page rebuilt: what serving did before).

With ``--floor F``: ``factsheet check`` and ``factsheet build`` at F entries against the I/O
floor, a fresh Python process that reads every content file and writes every page ``factsheet
build`` writes (same paths, same bytes): the least any tool can do.

The baseline of every time is ``mkdocs build`` of a one-page Material site (the fixed cost
of starting Python, MkDocs and Material); "x baseline" is a median over its median. No
figure is ever asserted: a slow or busy machine only shows in the load average printed.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_build import FACTSHEET, REPO, TRIVIAL_MKDOCS, load, project_with_content, versions  # noqa: E402

ENV = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
PY = sys.executable
FLOOR = """\
import os, sys
src, pages, out = sys.argv[1:4]
for folder, _, names in os.walk(src):
    for name in names:
        with open(os.path.join(folder, name), 'rb') as f:
            f.read()
for folder, _, names in os.walk(pages):
    for name in names:
        path = os.path.join(folder, name)
        with open(path, 'rb') as f:
            data = f.read()
        target = os.path.join(out, os.path.relpath(path, pages))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, 'wb') as f:
            f.write(data)
"""


@dataclass
class Timed:
    times: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # KiB

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def peak(self) -> int:
        return max(self.rss) if self.rss else 0


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one fresh process."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            sys.stderr.write(f"\nFAILED ({proc.returncode}): {' '.join(cmd)}\n{out.read()[-6000:]}\n")
            raise SystemExit(1)
    return elapsed, int(usage.ru_maxrss)


def measure(label: str, cmd: list[str], cwd: Path, args: argparse.Namespace, before: str = "") -> Timed:
    print(f"  {label} ...", end="", flush=True, file=sys.stderr)
    timed = Timed()
    for i in range(args.warmup + args.runs):
        if before:
            shutil.rmtree(before, ignore_errors=True)
        elapsed, rss = run(cmd, cwd)
        if i >= args.warmup:
            timed.times.append(elapsed)
            timed.rss.append(rss)
    print(f" {timed.median:.2f}s", file=sys.stderr)
    return timed


def mkdocs_build(config: Path, out: Path) -> list[str]:
    return [PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]


def make_corpus(count: int, seed: int, out: Path) -> None:
    subprocess.run(
        [PY, str(HERE / "make_corpus.py"), "--count", str(count), "--seed", str(seed), "--out", str(out)],
        check=True,
        capture_output=True,
    )


def plain_project(root: Path, pages: Path) -> Path:
    """MkDocs + Material without the plugin, on the pages ``factsheet build`` wrote."""
    docs = root / "docs"
    shutil.copytree(pages, docs, ignore=shutil.ignore_patterns(".factsheet-manifest"))
    for own in (REPO / "briefing").rglob("*"):  # the project's own pages, as the plugin's site has them
        if own.is_file():
            target = docs / own.relative_to(REPO / "briefing")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(own, target)
    assets = docs / "assets" / "factsheet"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ("factsheet.css", "factsheet-analysis.css", "factsheet.js", "factsheet-tables.js"):
        shutil.copy2(REPO / "generator" / "assets" / name, assets / name)
    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    theme = yml[yml.index("theme:") : yml.index("plugins:")]
    rest = yml[yml.index("nav:") :]
    (root / "mkdocs.yml").write_text(
        f"site_name: Plain\ndocs_dir: docs\n{theme}plugins:\n  - search\n"
        "extra_css: [assets/factsheet/factsheet.css, assets/factsheet/factsheet-analysis.css]\n"
        "extra_javascript: [assets/factsheet/factsheet.js, assets/factsheet/factsheet-tables.js]\n"
        f"{rest}",
        encoding="utf-8",
    )
    return root / "mkdocs.yml"


def search_bytes(site: Path) -> tuple[int, int]:
    data = (site / "search" / "search_index.json").read_bytes()
    return len(data), len(gzip.compress(data, 6))


def median_page(site: Path) -> int:
    sizes = [p.stat().st_size for p in site.rglob("*.html") if p.name != "404.html"]
    return int(statistics.median(sizes)) if sizes else 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def serve_edits(project: Path, edits: int, cache: bool, timeout: float) -> list[float]:
    """Seconds from saving a renamed meeting until a participant's page shows the new name."""
    meeting = next(
        p for p in sorted((project / "content" / "meetings").iterdir()) if "participants" in p.read_text()
    )
    text = meeting.read_text(encoding="utf-8")
    participant = re.search(r"participants:\n  - \"([^\"]+)\"", text)
    assert participant is not None, meeting
    name = re.search(r"^name: (.*)$", text, re.M)
    assert name is not None
    port = free_port()
    env = ENV | {"FACTSHEET_SERVE_CACHE": "1" if cache else "0"}
    log = (project.parent / f"serve-{'cache' if cache else 'full'}.log").open("w")
    proc = subprocess.Popen(
        [PY, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    times = []
    try:
        deadline = time.monotonic() + timeout * 3
        url = ""
        while not url:  # the address it serves on has site_url's path
            served = re.search(r"Serving on (http://\S+)", Path(log.name).read_text(encoding="utf-8"))
            if served:
                url = f"{served.group(1).rstrip('/')}/actors/{participant.group(1)}/"
            elif time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"mkdocs serve did not start; see {log.name}")
            time.sleep(0.2)
        while "</html>" not in fetch(url):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"mkdocs serve did not start; see {log.name}")
            time.sleep(0.2)
        for i in range(edits):
            new = f"Renamed meeting {i} {'cached' if cache else 'full'}"
            time.sleep(1.0)  # let the watcher settle
            started = time.perf_counter()
            meeting.write_text(text.replace(name.group(0), f'name: "{new}"', 1), encoding="utf-8")
            while new not in fetch(url):
                if time.perf_counter() - started > timeout:
                    raise SystemExit(f"{new!r} did not appear within {timeout}s")
                time.sleep(0.05)
            times.append(time.perf_counter() - started)
            time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
        meeting.write_text(text, encoding="utf-8")
    return times


@dataclass
class SizeRow:
    count: int
    check: Timed
    build: Timed
    plain: Timed
    site: Timed
    pages: int
    page_median: int
    search_site: tuple[int, int]
    search_plain: tuple[int, int]


def measure_count(count: int, tmp: Path, args: argparse.Namespace) -> SizeRow:
    root = tmp / f"n{count}"
    root.mkdir()
    corpus = root / "corpus"
    make_corpus(count, args.seed, corpus)
    config = project_with_content(root / "project", corpus)
    pages = root / "pages"
    check = measure(
        f"factsheet check, {count} entries",
        [PY, "-c", FACTSHEET, "check", "--content", str(corpus)],
        REPO,
        args,
    )
    build = measure(
        f"factsheet build, {count} entries",
        [PY, "-c", FACTSHEET, "build", "--config", str(config), "--out", str(pages)],
        root / "project",
        args,
    )
    plain_config = plain_project(root / "plain", pages)
    plain = measure(
        f"plain MkDocs + Material on those pages, {count} entries",
        mkdocs_build(plain_config, root / "site-plain"),
        root / "plain",
        args,
    )
    site = measure(
        f"mkdocs build with the plugin, {count} entries",
        mkdocs_build(config, root / "site"),
        root / "project",
        args,
    )
    return SizeRow(
        count,
        check,
        build,
        plain,
        site,
        pages=sum(1 for _ in (root / "site").rglob("*.html")),
        page_median=median_page(root / "site"),
        search_site=search_bytes(root / "site"),
        search_plain=search_bytes(root / "site-plain"),
    )


def floor_row(count: int, tmp: Path, args: argparse.Namespace) -> tuple[Timed, Timed, Timed]:
    root = tmp / f"floor{count}"
    root.mkdir()
    corpus = root / "corpus"
    make_corpus(count, args.seed, corpus)
    config = project_with_content(root / "project", corpus)
    pages = root / "pages"
    check = measure(
        f"factsheet check, {count} entries",
        [PY, "-c", FACTSHEET, "check", "--content", str(corpus)],
        REPO,
        args,
    )
    build = measure(
        f"factsheet build, {count} entries",
        [PY, "-c", FACTSHEET, "build", "--config", str(config), "--out", str(pages)],
        root / "project",
        args,
        before=str(pages),  # from empty each time: every page written, like the floor
    )
    # the last measured run left every page in `pages`: the floor copies exactly those
    floor = measure(
        f"I/O floor: read the content, write the pages, {count} entries",
        [PY, "-c", FLOOR, str(corpus), str(pages), str(root / "floor-out")],
        root,
        args,
        before=str(root / "floor-out"),
    )
    return check, build, floor


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 10 * 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--counts", default="100,1000,5000", help="entry counts of the site figures (default 100,1000,5000)"
    )
    parser.add_argument(
        "--serve", type=int, default=1000, help="entry count of the serve figure; 0: none (default 1000)"
    )
    parser.add_argument("--edits", type=int, default=3, help="renames timed while serving (default 3)")
    parser.add_argument(
        "--floor",
        type=int,
        default=10000,
        help="entry count of the I/O-floor figure; 0: none (default 10000)",
    )
    parser.add_argument("--runs", type=int, default=3, help="measured runs per command (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpora (default 1)")
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, one run each: a smoke test, figures meaningless"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args(argv)
    if args.quick:
        args.counts, args.serve, args.edits, args.floor, args.runs, args.warmup = "10", 10, 1, 20, 1, 0
    counts = [int(c) for c in args.counts.split(",") if c.strip()]

    load_start = load()
    tmp = Path(tempfile.mkdtemp(prefix="factsheet-perf-"))
    try:
        print(f"benchmark in {tmp} ({versions()})", file=sys.stderr)
        baseline_dir = tmp / "baseline"
        (baseline_dir / "docs").mkdir(parents=True)
        (baseline_dir / "docs" / "index.md").write_text("# Baseline\n\nOne page.\n", encoding="utf-8")
        (baseline_dir / "mkdocs.yml").write_text(TRIVIAL_MKDOCS, encoding="utf-8")
        base = measure(
            "baseline: mkdocs build, one-page Material site",
            mkdocs_build(baseline_dir / "mkdocs.yml", tmp / "b"),
            baseline_dir,
            args,
        )
        rows = [measure_count(count, tmp, args) for count in counts]
        serve: tuple[list[float], list[float]] | None = None
        if args.serve and args.edits:
            root = tmp / f"serve{args.serve}"
            root.mkdir()
            make_corpus(args.serve, args.seed, root / "content-src")
            project = root / "project"
            project_with_content(project, root / "content-src")
            (project / "content").unlink()
            shutil.copytree(root / "content-src", project / "content")  # edited: a copy of its own
            print(
                f"  mkdocs serve, {args.serve} entries: rename a meeting ...",
                end="",
                flush=True,
                file=sys.stderr,
            )
            timeout = max(60.0, args.serve * 0.2)
            serve = (
                serve_edits(project, args.edits, True, timeout),
                serve_edits(project, args.edits, False, timeout),
            )
            print(
                f" {statistics.median(serve[0]):.2f}s, without the cache {statistics.median(serve[1]):.2f}s",
                file=sys.stderr,
            )
        floor = floor_row(args.floor, tmp, args) if args.floor else None

        b = base.median
        print()
        print(f"Baseline: mkdocs build of a one-page Material site, median {b:.2f}s = 1.00")
        print()
        print("Site build, seconds (x baseline)")
        head = f"{'entries':>8} {'pages':>6}  {'check':>13}  {'build':>13}  {'plain MkDocs':>13}  {'with plugin':>13}  {'plugin/plain':>12}"
        print(head)
        print("-" * len(head))
        for r in rows:
            cells = [f"{t.median:6.2f} ({t.median / b:4.1f})" for t in (r.check, r.build, r.plain, r.site)]
            print(
                f"{r.count:>8} {r.pages:>6}  "
                + "  ".join(f"{c:>13}" for c in cells)
                + f"  {r.site.median / r.plain.median:12.2f}"
            )
        print()
        print("Memory and size")
        head = f"{'entries':>8}  {'peak RSS plain':>14}  {'peak RSS plugin':>15}  {'median page':>11}  {'x smallest':>10}"
        print(head)
        print("-" * len(head))
        for r in rows:
            print(
                f"{r.count:>8}  {kb(r.plain.peak * 1024):>14}  {kb(r.site.peak * 1024):>15}  "
                f"{kb(r.page_median):>11}  {r.page_median / rows[0].page_median:10.2f}"
            )
        print()
        print("First search: bytes the browser downloads (search/search_index.json)")
        head = f"{'entries':>8}  {'Material default':>16}  {'gzip':>9}  {'this site':>10}  {'gzip':>9}  {'x default':>9}"
        print(head)
        print("-" * len(head))
        for r in rows:
            print(
                f"{r.count:>8}  {kb(r.search_plain[0]):>16}  {kb(r.search_plain[1]):>9}  {kb(r.search_site[0]):>10}  "
                f"{kb(r.search_site[1]):>9}  {r.search_site[0] / r.search_plain[0]:9.2f}"
            )
        if len(rows) > 1:
            print()
            print("Growth")
            first = rows[0]
            for r in rows[1:]:
                print(
                    f"  {first.count} -> {r.count} entries ({r.count / first.count:.1f}x): site build "
                    f"{r.site.median / first.site.median:.2f}x, check {r.check.median / first.check.median:.2f}x, "
                    f"build {r.build.median / first.build.median:.2f}x"
                )
            by = {r.count: r for r in rows}
            if 1000 in by and 5000 in by:
                print(
                    f"  1000 -> 5000: site build {by[5000].site.median / by[1000].site.median:.2f}x (target at most 5.5)"
                )
        if serve is not None:
            cached, full = serve
            site_row = next((r for r in rows if r.count == args.serve), None)
            print()
            print(
                f"mkdocs serve, {args.serve} entries: save a renamed meeting -> a participant's page shows it"
            )
            print(
                f"  with the page cache:       median {statistics.median(cached):6.2f}s ({statistics.median(cached) / b:.1f} x baseline) {_list(cached)}"
            )
            print(
                f"  every page rebuilt:        median {statistics.median(full):6.2f}s ({statistics.median(full) / b:.1f} x baseline) {_list(full)}"
            )
            print(
                f"  cached / every page:       {statistics.median(cached) / statistics.median(full):.2f} (target at most 0.25)"
            )
            if site_row is not None:
                print(f"  cached / cold site build:  {statistics.median(cached) / site_row.site.median:.2f}")
        if floor is not None:
            check, build, io = floor
            print()
            print(f"{args.floor} entries against the I/O floor (read every content file, write every page)")
            print(f"  I/O floor        {io.median:6.2f}s ({io.median / b:.1f} x baseline)")
            print(
                f"  factsheet check  {check.median:6.2f}s = {check.median / io.median:.1f} x floor (target at most 5)"
            )
            print(
                f"  factsheet build  {build.median:6.2f}s = {build.median / io.median:.1f} x floor (target at most 5)"
            )
        print()
        print(
            f"{args.runs} measured run(s) each after {args.warmup} warm-up(s); medians of fresh processes; seed {args.seed}."
        )
        print(f"Machine: {versions()}")
        print(
            f"Load average (1, 5, 15 min) at start {load_start}, at end {load()}: other work skews the times."
        )
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _list(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.2f}" for t in times) + "]"


if __name__ == "__main__":
    sys.exit(main())
