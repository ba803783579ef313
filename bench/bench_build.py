#!/usr/bin/env python3
"""Time the site build: the default briefing and a synthetic 1,000-entity corpus.

    .venv/bin/python bench/bench_build.py [--runs 3] [--count 1000] [--seed 1]

Every command runs as a fresh process (what a user waits for), once unmeasured to warm the
file cache, then ``--runs`` times; the table shows the fastest and the median wall time.

Baseline, measured in the same session: ``mkdocs build`` of a trivial one-page site with
the same theme (Material) and the same search plugin but no factsheet plugin. It is the
fixed cost of starting Python, MkDocs and Material and writing the theme's assets, which
every build pays; "x baseline" is each row's median over the baseline's median.

Everything is built into a temporary folder, never into the repository. The corpus build
uses the repository's own ``mkdocs.yml`` unchanged, in a temporary project whose
``content`` is the synthetic corpus and whose other files link to the repository's.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
# entries of the repository a temporary project must not link to
NOT_LINKED = {"content", "site", "build", "out", "test-artifacts", ".git", ".venv"}
FACTSHEET = "import sys; from generator.cli import main; sys.argv[0] = 'factsheet'; main()"
TRIVIAL_MKDOCS = """\
site_name: Baseline
theme:
  name: material
  font: false
plugins:
  - search
"""


@dataclass
class Row:
    label: str
    times: list[float]
    pages: int | None = None

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def run(cmd: list[str], cwd: Path) -> float:
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(
            f"\nFAILED ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}\n"
        )
        raise SystemExit(1)
    return elapsed


def measure(label: str, cmd: list[str], cwd: Path, runs: int, site: Path | None = None) -> Row:
    print(f"  {label} ...", end="", flush=True, file=sys.stderr)
    run(cmd, cwd)  # warm-up, not counted
    times = [run(cmd, cwd) for _ in range(runs)]
    pages = len(list(site.rglob("*.html"))) if site is not None else None
    print(f" {statistics.median(times):.2f}s", file=sys.stderr)
    return Row(label, times, pages)


def mkdocs_build(config: Path, out: Path, strict: bool = True) -> list[str]:
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]
    return [*cmd, "--strict"] if strict else cmd


def project_with_content(root: Path, content: Path) -> Path:
    """A project folder like the repository's, with ``content`` replaced: returns its mkdocs.yml."""
    root.mkdir()
    for entry in REPO.iterdir():
        if entry.name in NOT_LINKED or entry.name.endswith("_cache"):
            continue
        if entry.name == "mkdocs.yml":  # copied: MkDocs resolves paths from its folder
            text = entry.read_text(encoding="utf-8")  # the linked folders resolve outside this one
            text = text.replace(
                "      content: content\n", "      content: content\n      allow_outside_project: true\n"
            )
            (root / entry.name).write_text(text, encoding="utf-8")
        else:
            (root / entry.name).symlink_to(entry)
    (root / "content").symlink_to(content)
    return root / "mkdocs.yml"


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def versions() -> str:
    import mkdocs

    try:
        from material import __version__ as material  # type: ignore[import-not-found]
    except ImportError:
        material = "?"
    return (
        f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, Material {material}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs per command (default 3)")
    parser.add_argument(
        "--count", type=int, default=1000, help="entities in the synthetic corpus (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args(argv)
    if not (REPO / "mkdocs.yml").is_file():
        parser.error(f"{REPO / 'mkdocs.yml'} is missing")

    load_start = load()
    tmp = Path(tempfile.mkdtemp(prefix="factsheet-bench-"))
    try:
        print(f"benchmark in {tmp} ({versions()})", file=sys.stderr)
        baseline_dir = tmp / "baseline"
        (baseline_dir / "docs").mkdir(parents=True)
        (baseline_dir / "docs" / "index.md").write_text("# Baseline\n\nOne page.\n", encoding="utf-8")
        (baseline_dir / "mkdocs.yml").write_text(TRIVIAL_MKDOCS, encoding="utf-8")

        corpus = tmp / "corpus"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(HERE / "make_corpus.py"),
                "--count",
                str(args.count),
                "--seed",
                str(args.seed),
                "--out",
                str(corpus),
            ],
            check=True,
        )
        generated = time.perf_counter() - started
        corpus_config = project_with_content(tmp / "project", corpus)

        rows = [
            measure(
                "baseline: mkdocs build, trivial 1-page Material site",
                mkdocs_build(baseline_dir / "mkdocs.yml", tmp / "out-baseline"),
                baseline_dir,
                args.runs,
                tmp / "out-baseline",
            ),
            measure(
                "factsheet check, default content/",
                [sys.executable, "-c", FACTSHEET, "check", "--content", str(REPO / "content")],
                REPO,
                args.runs,
            ),
            measure(
                "(a) mkdocs build --strict, default site",
                mkdocs_build(REPO / "mkdocs.yml", tmp / "out-default"),
                REPO,
                args.runs,
                tmp / "out-default",
            ),
            measure(
                f"factsheet check, {args.count}-entity corpus",
                [sys.executable, "-c", FACTSHEET, "check", "--content", str(corpus)],
                REPO,
                args.runs,
            ),
            measure(
                f"factsheet build (Markdown only), {args.count}-entity corpus",
                [
                    sys.executable,
                    "-c",
                    FACTSHEET,
                    "build",
                    "--config",
                    str(corpus_config),
                    "--out",
                    str(tmp / "out-markdown"),
                ],
                tmp / "project",
                args.runs,
            ),
            measure(
                f"(b) mkdocs build --strict, {args.count}-entity corpus",
                mkdocs_build(corpus_config, tmp / "out-corpus"),
                tmp / "project",
                args.runs,
                tmp / "out-corpus",
            ),
        ]
        base = rows[0].median
        width = max(len(r.label) for r in rows)
        print()
        print(f"{'command':<{width}}  {'pages':>6}  {'best s':>7}  {'median s':>8}  {'x baseline':>10}")
        print(f"{'-' * width}  {'-' * 6}  {'-' * 7}  {'-' * 8}  {'-' * 10}")
        for r in rows:
            pages = "" if r.pages is None else str(r.pages)
            print(f"{r.label:<{width}}  {pages:>6}  {r.best:7.2f}  {r.median:8.2f}  {r.median / base:10.2f}")
        print()
        print(
            f"{args.runs} measured runs each after one warm-up; wall time of a fresh process. "
            f"Corpus: {args.count} entities, seed {args.seed}, generated in {generated:.2f}s (not counted)."
        )
        print(
            "Baseline: mkdocs build --strict of a one-page site, theme material + search, no factsheet plugin."
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


if __name__ == "__main__":
    sys.exit(main())
