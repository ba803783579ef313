#!/usr/bin/env python3
"""Time the PDF step: the briefing book per page against WeasyPrint's floor, and a re-run.

    .venv/bin/python bench/bench_pdf.py [--count 1000] [--seed 1] [--workers N] [--keep]

For the default content and for a synthetic corpus (``bench/make_corpus.py``):

- **book per page**: the book's own time (rendering its parts, joining them) from a cold
  state, over its page count; divided by the **floor**, WeasyPrint rendering a plain HTML
  file (headings and paragraphs, default stylesheet) of the same page count in one
  process, measured in the same run. Aim: at most 1.5.
- **full run and re-run** (corpus): ``build_pdfs`` of every brief and the book from a cold
  state, then again after changing one sentence of one entry's summary. Aim: the re-run
  under 10 % of the full run.

Each measurement runs in a fresh Python process (as ``factsheet pdf`` would), with
``--workers`` processes rendering in parallel (default: one per CPU; the floor is one
process, since WeasyPrint lays out a document on one core). Times are wall-clock seconds;
the load average printed at the end says how busy the machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

DRIVER = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from generator.build import load_graph
from generator.config import Config, load_config
from generator.pdf import build_pdfs
if __name__ == "__main__":
    content, out, workers, mkdocs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    config = load_config(Path(mkdocs)) if mkdocs else Config(content_dir=content, site_name="Synthetic corpus")
    graph = load_graph(config.content_dir)
    loaded = time.perf_counter()
    report = build_pdfs(graph, config, out, workers=workers)
    done = time.perf_counter()
    print(json.dumps({
        "total": done - started, "load": loaded - started, "seconds": report.seconds,
        "book_pages": report.book_pages, "written": len(report.written),
        "parts_rendered": report.parts_rendered, "parts_cached": report.parts_cached,
    }))
"""

FLOOR = """
import json, sys, time
import weasyprint
paragraph = ("<p>The delegation met officials of the ministry to discuss the supply of munitions, "
             "the schedule of further visits and the terms under which deliveries would be made. ") * 2 + "</p>"
def html(n):
    return "<!DOCTYPE html><html lang=en><body>" + "".join(
        f"<h2>Section {i}</h2>" + paragraph * 3 for i in range(n)) + "</body></html>"
weasyprint.HTML(string=html(4)).write_pdf()  # warm-up: fonts and caches, as the book has them
per_page = len(weasyprint.HTML(string=html(40)).render().pages) / 40
target = int(sys.argv[1])
n = max(1, round(target / per_page))
started = time.perf_counter()
document = weasyprint.HTML(string=html(n)).render()
document.write_pdf()
print(json.dumps({"seconds": time.perf_counter() - started, "pages": len(document.pages)}))
"""


def python(code: str, *args: str) -> dict[str, Any]:
    env = os.environ | {"PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.stderr.write(f"FAILED: {proc.stdout[-3000:]}{proc.stderr[-3000:]}\n")
        raise SystemExit(1)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def build(content: Path, out: Path, workers: int, mkdocs: Path | None = None) -> dict[str, Any]:
    return python(DRIVER, str(content), str(out), str(workers), str(mkdocs or ""))


def edit_one_entry(content: Path) -> Path:
    """Add a sentence to the summary of a mid-list actor (a typical curator edit)."""
    actors = sorted((content / "actors").glob("*.yaml"))
    path = actors[len(actors) // 2]
    text = path.read_text(encoding="utf-8")
    edited = text.replace(
        ' Synthetic entry for benchmarks."', ' Synthetic entry, edited for the benchmark."', 1
    )
    assert edited != text, f"{path}: no summary to edit"
    path.write_text(edited, encoding="utf-8")
    return path


def book_row(label: str, result: dict[str, Any]) -> dict[str, Any]:
    pages = result["book_pages"]
    floor = python(FLOOR, str(pages))
    book = result["seconds"]["book"]
    ratio = (book / pages) / (floor["seconds"] / floor["pages"])
    return {
        "label": label,
        "pages": pages,
        "book": book,
        "per_page": book / pages,
        "floor_pages": floor["pages"],
        "floor": floor["seconds"],
        "floor_per_page": floor["seconds"] / floor["pages"],
        "ratio": ratio,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--count", type=int, default=1000, help="entries in the synthetic corpus (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus (default 1)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="rendering processes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="factsheet-bench-pdf-"))
    try:
        print(f"benchmark in {tmp} ({platform.python_version()}, {os.cpu_count()} CPUs)", file=sys.stderr)
        corpus = tmp / "corpus"
        make = [sys.executable, str(HERE / "make_corpus.py"), "--count", str(args.count)]
        subprocess.run(
            [*make, "--seed", str(args.seed), "--out", str(corpus)], check=True, capture_output=True
        )
        print("  default content, cold ...", file=sys.stderr, flush=True)
        default = build(REPO / "content", tmp / "out-default", args.workers, REPO / "mkdocs.yml")
        rows = [book_row("default content", default)]
        print(f"  {args.count}-entry corpus, cold ...", file=sys.stderr, flush=True)
        full = build(corpus, tmp / "out-corpus", args.workers)
        rows.append(book_row(f"{args.count}-entry corpus", full))
        edited = edit_one_entry(corpus)
        print(f"  re-run after editing {edited.name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        rerun = build(corpus, tmp / "out-corpus", args.workers)
        rerun_wall = time.perf_counter() - started

        print()
        print(
            f"{'book':<22} {'pages':>6} {'book s':>8} {'s/page':>8} {'floor s':>8} {'s/page':>8} {'ratio':>6}"
        )
        for r in rows:
            print(
                f"{r['label']:<22} {r['pages']:>6} {r['book']:>8.2f} {r['per_page']:>8.4f} "
                f"{r['floor']:>8.2f} {r['floor_per_page']:>8.4f} {r['ratio']:>6.2f}"
            )
        print("ratio: the book's seconds per page over the floor's (aim: at most 1.5)")
        print()
        print(f"{args.count}-entry corpus, every brief and the book ({full['written']} PDFs):")
        print(
            f"  full run   {full['total']:7.2f} s  (load {full['load']:.2f}, briefs {full['seconds']['briefs']:.2f}, "
            f"book {full['seconds']['book']:.2f})"
        )
        print(
            f"  re-run     {rerun['total']:7.2f} s  (load {rerun['load']:.2f}, briefs {rerun['seconds']['briefs']:.2f}, "
            f"book {rerun['seconds']['book']:.2f}; {rerun['written']} PDFs written, "
            f"{rerun['parts_rendered']} of {rerun['parts_rendered'] + rerun['parts_cached']} book parts laid out)"
        )
        print(
            f"  re-run / full run: {rerun['total'] / full['total']:.1%} (aim: under 10 %); wall {rerun_wall:.2f} s"
        )
        print()
        print(
            f"Workers: {args.workers}. Times exclude the interpreter's start (about a second), "
            "which both runs pay."
        )
        print(
            f"Load average (1, 5, 15 min) at start {'/'.join(f'{x:.1f}' for x in load_start)}, "
            f"at end {'/'.join(f'{x:.1f}' for x in os.getloadavg())}: other work skews the times."
        )
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
