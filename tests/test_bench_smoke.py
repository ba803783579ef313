"""The performance benchmark runs end to end at a tiny size (figures not asserted: no timing test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_bench_perf_quick_prints_every_figure() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_perf.py"), "--quick"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    for heading in (
        "Baseline: mkdocs build of a one-page Material site",
        "Site build, seconds (x baseline)",
        "plugin/plain",
        "Memory and size",
        "First search: bytes the browser downloads",
        "save a renamed meeting -> a participant's page shows it",
        "cached / every page",
        "against the I/O floor",
    ):
        assert heading in out, (heading, out)
    assert "nan" not in out
