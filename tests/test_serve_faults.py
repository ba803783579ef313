"""Serve keeps going: ``mkdocs serve`` driven through 30 rapid edits while pages are requested.

Broken YAML, a dangling reference, a half-written file, a deleted and a renamed entry and a
broken template override, over and over, a few tenths of a second apart, then the fix. All
the while two pages are requested in a loop: every request must be answered with a whole
page (the last good briefing, or the page listing the errors), and the site must recover
after the fix. ``scripts/extended-run`` repeats this for 100 rebuilds and reports memory.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO

from projects import make_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def edits(project: Path) -> list[tuple[str, Callable[[], None]]]:
    """The faults a curator's editor produces, and the fix that restores every file."""
    content, templates = project / "content", project / "templates"
    kim = content / "actors" / "kim-jong-un.yaml"
    russia = content / "actors" / "russia.yaml"
    event = next((content / "events").iterdir())
    originals = {path: path.read_bytes() for path in (kim, russia, event)}

    def fix() -> None:
        (content / "actors" / "russian-federation.yaml").unlink(missing_ok=True)
        (templates / "actor.md.j2").unlink(missing_ok=True)
        for path, data in originals.items():
            path.write_bytes(data)

    return [
        ("broken YAML", lambda: russia.write_text("name: [unclosed\n")),
        (
            "dangling reference",
            lambda: kim.write_bytes(originals[kim].replace(b"country: north-korea", b"country: nowhere")),
        ),
        ("half-written file", lambda: kim.write_bytes(originals[kim][: len(originals[kim]) // 2])),
        ("deleted entry", event.unlink),
        ("renamed entry", lambda: russia.rename(content / "actors" / "russian-federation.yaml")),
        ("broken template override", lambda: (templates / "actor.md.j2").write_text("{{ unclosed\n")),
        ("the fix", fix),
    ]


class Poller(threading.Thread):
    """Requests pages in a loop; records every answer that is not a whole page."""

    def __init__(self, urls: list[str]) -> None:
        super().__init__(daemon=True)
        self.urls = urls
        self.stop = threading.Event()
        self.requests = 0
        self.failures: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            for url in self.urls:
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:
                        body = response.read().decode("utf-8")
                        status = response.status
                except (OSError, urllib.error.HTTPError) as exc:
                    self.failures.append(f"{url}: {exc}")
                    continue
                self.requests += 1
                whole = "</html>" in body and ("Kim Jong Un" in body or "The briefing has errors" in body)
                if status != 200 or not whole:
                    self.failures.append(f"{url}: {status}, {len(body)} bytes: {body[:200]!r}")
            time.sleep(0.05)


def serve(project: Path, port: int, log: IO[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def wait_for(url: str, needle: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if needle in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds}s")


def project_with_templates(root: Path) -> Path:
    make_project(root)
    (root / "templates").mkdir()  # watched from the start; overrides come and go
    (root / "templates" / "README.txt").write_text("template overrides\n")
    return root


def test_serve_answers_every_request_through_30_rapid_edits_and_recovers(tmp_path: Path) -> None:
    project = project_with_templates(tmp_path / "p")
    port = _free_port()
    log = tmp_path / "serve.log"
    handle = log.open("w")
    proc = serve(project, port, handle)
    base = f"http://127.0.0.1:{port}"
    kim = project / "content" / "actors" / "kim-jong-un.yaml"
    poller = Poller([f"{base}/", f"{base}/actors/kim-jong-un/"])
    try:
        wait_for(f"{base}/actors/kim-jong-un/", "Leader of North Korea.", 90)
        poller.start()
        steps = edits(project)
        done = []
        for i in range(30):
            name, edit = steps[i % len(steps)]
            edit()
            done.append(name)
            time.sleep(0.25 if i % 3 else 0.9)  # mostly faster than a rebuild, sometimes not
        steps[-1][1]()  # the fix
        kim.write_text(kim.read_text().replace("Leader of North Korea.", "Leader of North Korea, fixed."))
        wait_for(f"{base}/actors/kim-jong-un/", "Leader of North Korea, fixed.", 60)
        poller.stop.set()
        poller.join(timeout=40)
        output = log.read_text(encoding="utf-8")
        assert proc.poll() is None, "the server stopped"
        assert poller.failures == [], poller.failures[:5]
        assert poller.requests >= 30, poller.requests
        assert "Traceback" not in output
        assert output.count("Building documentation") >= 4  # it did rebuild along the way
        assert len(done) == 30 and set(done) == {name for name, _ in steps}
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}\n--- mkdocs serve output ---\n{log.read_text(encoding='utf-8')[-3000:]}"
        ) from None
    finally:
        poller.stop.set()
        proc.terminate()
        proc.wait(timeout=10)
        handle.close()


def test_a_cold_start_with_broken_content_lists_the_errors_at_every_url(tmp_path: Path) -> None:
    """No last good briefing: the home page and the sections list the problems, and so does any
    other address (an entry's page, a mistyped one), styled; once fixed, the pages come back."""
    project = make_project(tmp_path / "p")
    russia = project / "content" / "actors" / "russia.yaml"
    good = russia.read_text(encoding="utf-8")
    russia.write_text(good.replace("type: state", "type: stat"), encoding="utf-8")
    port = _free_port()
    handle = (tmp_path / "serve.log").open("w")
    proc = serve(project, port, handle)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/", "The briefing has errors", 90)
        for path in ("/actors/kim-jong-un/", "/meetings/2019-04-25-vladivostok-summit/", "/no/such/page/"):
            try:
                urllib.request.urlopen(base + path, timeout=10)
                raise AssertionError(f"{path}: expected the 404 status")
            except urllib.error.HTTPError as exc:
                assert exc.code == 404
                body = exc.read().decode("utf-8")
            assert "The briefing has errors" in body and "russia.yaml:3:7: type:" in body, path
            assert '<base href="/">' in body  # its stylesheets load from the site's root at any depth
            css = re.search(r'<link rel="stylesheet" href="(assets/stylesheets/main[^"]+)"', body)
            assert css, path
            with urllib.request.urlopen(f"{base}/{css[1]}", timeout=10) as response:
                assert response.status == 200
        russia.write_text(good, encoding="utf-8")
        wait_for(f"{base}/actors/kim-jong-un/", "Leader of North Korea.", 60)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        handle.close()
