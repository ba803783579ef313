"""Crash safety: a run killed at any moment loses nothing and leaves nothing behind for long.

A writing run is killed (``os._exit``, as abrupt as SIGKILL: no ``finally``, no clean-up)
before each of its file-system changes in turn; the next good run must leave exactly what a
fresh run makes, with no temporary file. Real SIGKILLs at random moments of
``factsheet build`` and of ``factsheet site`` complete the picture; ``scripts/extended-run``
does hundreds of them.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from projects import make_project
from trees import VALID_TREE, write_tree

from generator.cli import main
from generator.write import MANIFEST, TEMP_NAME, write_files

FACTSHEET = str(Path(sys.executable).parent / "factsheet")
REPO = Path(__file__).resolve().parents[1]

# Two generations of an output: some pages in both (some changed), some only in one.
OLD = {f"actors/a{i}.md": f"old {i}\n" for i in range(4)} | {"index.md": "home\n", "gone/x.md": "x\n"}
NEW = {f"actors/a{i}.md": f"{'new' if i % 2 else 'old'} {i}\n" for i in range(2, 7)} | {
    "index.md": "home 2\n"
}

CRASHING_RUN = """
import json, os, sys
from pathlib import Path
import generator.write as write

out, limit, files = Path(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
done = 0
def crashing(real):
    def call(*args, **kwargs):
        global done
        if done == limit:
            os._exit(137)  # like SIGKILL: no clean-up of any kind
        done += 1
        return real(*args, **kwargs)
    return call
os.replace, os.unlink = crashing(os.replace), crashing(os.unlink)
write.write_files({k: v.encode() for k, v in files.items()}, out)
print(done)
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def pages(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(folder).items() if k != MANIFEST}


def temps(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if TEMP_NAME.match(p.name)]


def crash(out: Path, files: dict[str, str], limit: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CRASHING_RUN, str(out), str(limit), json.dumps(files)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def encoded(files: dict[str, str]) -> dict[str, bytes]:
    return {k: v.encode() for k, v in files.items()}


@pytest.mark.parametrize("next_run", ["old", "new"])
def test_a_run_killed_before_any_change_loses_nothing_and_the_next_run_cleans_up(
    tmp_path: Path, next_run: str
) -> None:
    """Every crash point of one run (OLD -> NEW), each followed by a good run."""
    full = crash(tmp_path / "probe", NEW, 10_000)  # how many changes a run from nothing makes
    assert full.returncode == 0, full.stderr
    good = OLD if next_run == "old" else NEW
    limit = 0
    while True:
        out = tmp_path / f"out-{limit}"
        write_files(encoded(OLD), out)
        result = crash(out, NEW, limit)
        if result.returncode == 0:
            break  # the run got through: every crash point was tried
        assert result.returncode == 137, result.stderr
        state = {k: v for k, v in pages(out).items() if not TEMP_NAME.match(k.split("/")[-1])}
        for path, data in state.items():  # never a truncated or mixed file
            assert data in (OLD.get(path, "").encode(), NEW.get(path, "").encode()), (limit, path)
        report = write_files(encoded(good), out)
        assert pages(out) == encoded(good), (limit, report)
        assert temps(out) == [], limit
        assert [line.split("  ")[1] for line in (out / MANIFEST).read_text().splitlines()[1:]] == sorted(good)
        limit += 1
    assert limit >= len(NEW) + 3  # the manifest twice, the pages, the stale ones


def test_leftover_temporary_files_are_removed_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_files(encoded(OLD), out)
    leftovers = [out / ".factsheet-index.md.0badc0de.tmp", out / "actors" / ".factsheet-a1.md.12345678.tmp"]
    for path in leftovers:
        path.write_text("half a pa")
    (out / ".factsheet-notes.txt").write_text("not ours: no random part, no .tmp\n")
    (out / "actors" / "a1.md.tmp").write_text("a person's file\n")
    report = write_files(encoded(OLD), out)
    assert report.cleaned == 2
    assert not any(path.exists() for path in leftovers)
    assert (out / ".factsheet-notes.txt").exists() and (out / "actors" / "a1.md.tmp").exists()


def test_two_runs_into_one_folder_at_once_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_files(encoded(OLD), out)
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = CliRunner().invoke(
            main, ["build", "--content", str(write_tree(tmp_path / "c", VALID_TREE)), "--out", str(out)]
        )
    finally:
        os.close(fd)
    assert result.exit_code == 2
    assert "another factsheet run is writing into this folder" in result.output
    assert pages(out) == encoded(OLD)


def _build(content: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [FACTSHEET, "build", "--content", str(content), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_of_factsheet_build_at_random_moments(tmp_path: Path) -> None:
    """r13, a few times (scripts/extended-run does it hundreds of times)."""
    make = [sys.executable, str(REPO / "bench" / "make_corpus.py"), "--count", "150"]
    a, b = tmp_path / "A", tmp_path / "B"
    subprocess.run([*make, "--seed", "1", "--out", str(a)], check=True, capture_output=True)
    subprocess.run([*make, "--seed", "2", "--out", str(b)], check=True, capture_output=True)
    fresh = tmp_path / "fresh"
    assert _build(a, fresh).wait() == 0
    expected = pages(fresh)
    out = tmp_path / "out"
    assert _build(a, out).wait() == 0
    started = time.perf_counter()
    assert _build(b, tmp_path / "timing").wait() == 0
    duration = time.perf_counter() - started
    rng = random.Random(13)
    for _ in range(3):
        process = _build(b, out)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _build(a, out).wait() == 0
        assert pages(out) == expected
        assert temps(out) == []


# ------------------------------------------------------------------ factsheet site


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _site(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FACTSHEET, "site", *args], cwd=project, capture_output=True, text=True, check=False
    )


def test_site_swaps_in_a_whole_site_and_keeps_the_old_one_on_failure(project: Path) -> None:
    first = _site(project)
    assert first.returncode == 0, first.stderr
    site = project / "site"
    assert (site / "index.html").is_file() and (site / "actors" / "kim-jong-un" / "index.html").is_file()
    before = tree(site)
    (project / "content" / "actors" / "russia.yaml").write_text("name: [unclosed\n")
    broken = _site(project)
    assert broken.returncode == 1 and "russia.yaml:2:1: YAML syntax error" in broken.stderr
    assert tree(site) == before
    (project / "content" / "actors" / "russia.yaml").write_text(VALID_TREE["actors/russia.yaml"])  # type: ignore[arg-type]
    (project / "content" / "sources" / "un-resolution-1718.yaml").write_text(
        VALID_TREE["sources/un-resolution-1718.yaml"].replace("UN Security", "United Nations Security")  # type: ignore[union-attr]
    )
    assert _site(project).returncode == 0
    assert b"United Nations Security" in (site / "sources" / "un-resolution-1718" / "index.html").read_bytes()
    assert [p.name for p in project.iterdir() if p.name.startswith(".factsheet-")] == []


def test_site_killed_mid_build_keeps_the_old_site_and_the_next_run_cleans_up(project: Path) -> None:
    assert _site(project).returncode == 0
    site = project / "site"
    before = tree(site)
    process = subprocess.Popen(
        [FACTSHEET, "site"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while not any((p / "assets").exists() for p in project.glob(".factsheet-site.*.tmp")):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # factsheet and the mkdocs build it runs
    process.wait()
    assert tree(site) == before
    assert list(project.glob(".factsheet-site.*.tmp")) != []  # the half-built site was left...
    assert _site(project).returncode == 0
    assert list(project.glob(".factsheet-site.*.tmp")) == []  # ...and the next run removed it
    assert (site / "index.html").is_file()


def test_site_refuses_a_folder_that_is_not_a_site(project: Path) -> None:
    write_tree(project / "site", {"thesis.tex": "years of work\n"})
    result = _site(project)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Error: --out site already holds files factsheet did not write (thesis.tex); "
        "choose a new or empty folder, or pass --force to write into it anyway"
    )
