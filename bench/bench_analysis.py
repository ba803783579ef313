#!/usr/bin/env python3
"""Time the analysis views: what the sanctions overview, the source audit and the
relationship maps add to a build, on the default briefing and a synthetic corpus.

    .venv/bin/python bench/bench_analysis.py [--runs 3] [--count 1000] [--seed 1]

Two measurements:

1. **In process**: ``render()`` (the entry pages) and ``analysis_pages()`` (the analysis
   pages) on a graph already loaded, best of ``--runs``; and ``factsheet check --audit``
   against ``factsheet check`` (fresh processes, medians).
2. **Whole site**: ``mkdocs build --strict`` as a fresh process, with the analysis pages
   and without them (the same build with ``analysis_pages`` replaced by a function that
   returns nothing), medians of ``--runs`` after a warm-up. The difference is what the
   views add to a build a user waits for: generating the pages, and MkDocs and Material
   rendering them (one map page per actor).

Everything is built into a temporary folder, never into the repository.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_build import FACTSHEET, REPO, mkdocs_build, project_with_content, run, versions  # noqa: E402

WITHOUT = (
    "import sys, generator.build as b; b.analysis_pages = lambda graph, config: []; "
    "from mkdocs.__main__ import cli; sys.argv = ['mkdocs', *sys.argv[1:]]; cli()"
)
"""``mkdocs`` with the analysis pages left out, for the baseline of the same site."""


def best_of(runs: int, func: object) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


CPU: list[float] = []
"""CPU seconds (user + system) of each measured command, in order: less disturbed than the
wall time by other work on the machine."""


def median_run(cmd: list[str], cwd: Path, runs: int) -> float:
    """Median wall time of ``runs`` fresh runs after a warm-up; their median CPU time is
    appended to :data:`CPU`."""
    run(cmd, cwd)  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(run(cmd, cwd))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    CPU.append(statistics.median(cpus))
    return statistics.median(walls)


def in_process(label: str, content: Path, runs: int) -> list[str]:
    from generator.analysis import analysis_pages
    from generator.analysis_audit import audit
    from generator.analysis_network import network
    from generator.build import load_graph
    from generator.config import Config
    from generator.render import render

    graph = load_graph(content)
    config = Config(content_dir=content)
    pages = analysis_pages(graph, config)
    entry_time = best_of(runs, lambda: render(graph, config))
    analysis_time = best_of(runs, lambda: analysis_pages(graph, config))
    net_time = best_of(runs, lambda: network(graph))
    audit_time = best_of(runs, lambda: audit(graph))
    size = sum(len(p.text.encode()) for p in pages)
    return [
        f"{label}: {len(graph.records)} entries, {len(pages)} analysis pages ({size / 1e6:.1f} MB of Markdown)",
        f"  render() entry pages        {entry_time:6.2f} s",
        f"  analysis_pages()            {analysis_time:6.2f} s  (network {net_time:.3f} s, audit {audit_time:.3f} s)",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="factsheet-bench-analysis-"))
    try:
        corpus = tmp / "corpus"
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
            capture_output=True,
        )
        lines = [
            f"Machine: {versions()}; load average at start {'/'.join(f'{x:.1f}' for x in os.getloadavg())}",
            "",
        ]
        lines += in_process("default content", REPO / "content", args.runs)
        lines += in_process(f"{args.count}-entity corpus", corpus, args.runs)
        lines.append("")
        for label, content in (
            ("default content", REPO / "content"),
            (f"{args.count}-entity corpus", corpus),
        ):
            check = median_run(
                [sys.executable, "-c", FACTSHEET, "check", "--content", str(content)], REPO, args.runs
            )
            audited = median_run(
                [sys.executable, "-c", FACTSHEET, "check", "--audit", "--content", str(content)],
                REPO,
                args.runs,
            )
            lines.append(
                f"factsheet check / check --audit, {label}: {check:.2f} s / {audited:.2f} s "
                f"(CPU {CPU[-2]:.2f} s / {CPU[-1]:.2f} s)"
            )
        lines.append("")
        corpus_config = project_with_content(tmp / "project", corpus)
        # the project's folders link to the repository's, outside the project: say that is meant
        text = corpus_config.read_text(encoding="utf-8")
        corpus_config.write_text(
            text.replace(
                "      content: content\n", "      content: content\n      allow_outside_project: true\n"
            ),
            encoding="utf-8",
        )
        projects = (
            ("default site", REPO / "mkdocs.yml", REPO),
            (f"{args.count}-entity corpus", corpus_config, tmp / "project"),
        )
        for label, config, cwd in projects:
            with_cmd = mkdocs_build(config, tmp / "out-with")
            without_cmd = [sys.executable, "-c", WITHOUT, *mkdocs_build(config, tmp / "out-without")[3:]]
            print(f"  mkdocs build, {label} ...", file=sys.stderr, flush=True)
            with_time = median_run(with_cmd, cwd, args.runs)
            without_time = median_run(without_cmd, cwd, args.runs)
            pages_with = len(list((tmp / "out-with").rglob("*.html")))
            pages_without = len(list((tmp / "out-without").rglob("*.html")))
            cpu_with, cpu_without = CPU[-2], CPU[-1]
            lines.append(
                f"mkdocs build --strict, {label}: {without_time:.2f} s without the analysis pages "
                f"({pages_without} pages), {with_time:.2f} s with them ({pages_with} pages): "
                f"+{with_time - without_time:.2f} s (+{(with_time / without_time - 1) * 100:.0f}%); "
                f"CPU {cpu_without:.2f} s -> {cpu_with:.2f} s (+{(cpu_with / cpu_without - 1) * 100:.0f}%)"
            )
        print("\n".join(lines))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
