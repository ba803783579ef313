"""The MkDocs plugin: strict builds, nothing written into content/ or docs_dir, serve recovery."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from projects import make_project

REPO = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, tuple[bytes, float]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime)
        for p in folder.rglob("*")
        if p.is_file()
    }


def strict_build(project: Path, site: Path) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def test_strict_build_puts_pages_at_stable_urls_and_writes_nothing_into_sources(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    before = snapshot(project)
    site = tmp_path / "site"
    strict_build(project, site)
    assert (site / "actors" / "kim-jong-un" / "index.html").is_file()
    assert (site / "actors" / "index.html").is_file()
    assert (site / "timeline" / "index.html").is_file()
    assert snapshot(project) == before  # not a byte or mtime changed in content/ or docs/


def test_sidebar_lists_sections_not_entities(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    titles = [next(iter(item)) for item in config.nav[:-1]]
    assert titles == [
        "Home",
        *("Actors", "Meetings", "Sanctions", "Events", "Sources"),
        *("Timeline", "Analysis", "Curator's guide"),
    ]
    assert config.nav[-1] == "about.md"
    guide = [next(iter(entry.values())) for entry in config.nav[-2]["Curator's guide"]]
    assert guide[0] == "guide/index.md" and len(guide) == 8


def test_search_index_holds_aliases_in_every_script(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    site = tmp_path / "site"
    strict_build(project, site)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    assert "김정은" in text and "조선민주주의인민공화국" in text and "DPRK" in text
    assert "lang" not in index["config"] or index["config"]["lang"] == ["en"]


def test_no_request_to_other_hosts_in_built_pages(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    site = tmp_path / "site"
    strict_build(project, site)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    assert 'src="http' not in html and '<link href="http' not in html


def test_content_error_fails_the_build_with_located_errors_and_keeps_old_site(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path / "p")
    site = tmp_path / "site"
    strict_build(project, site)
    before = snapshot(site)
    (project / "content" / "actors" / "russia.yaml").write_text(
        "name: Russia\nsummary: x\ntype: stat\nsources: [2023-news-article]\n", encoding="utf-8"
    )
    with pytest.raises((PluginError, Abort)):
        strict_build(project, site)
    assert "content/actors/russia.yaml:3:7: type: expected one of" in caplog.text
    assert snapshot(site) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(url: str, needle: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _get(url)
            if needle in last:
                return last
        except OSError as exc:
            last = f"error: {exc}"
        time.sleep(0.3)
    raise AssertionError(
        f"{needle!r} did not appear at {url} within {seconds}s; last response: {last[:300]!r}"
    )


def test_serve_rebuilds_keeps_last_good_site_on_errors_and_recovers(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/actors/russia/"
    actor = project / "content" / "actors" / "russia.yaml"
    try:
        _wait_for(url, "The Russian Federation.")
        _wait_for(
            f"http://127.0.0.1:{port}/assets/factsheet/factsheet.css", ".fs-claim"
        )  # package data served
        actor.write_text(
            actor.read_text(encoding="utf-8").replace("Federation.", "Federation, edited."), encoding="utf-8"
        )
        _wait_for(url, "The Russian Federation, edited.")
        broken = actor.read_text(encoding="utf-8").replace("type: state", "type: stat")
        actor.write_text(broken, encoding="utf-8")
        deadline = time.monotonic() + 90
        while "type: expected one of" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the content error was not reported"
            time.sleep(0.3)
        time.sleep(1.5)
        assert "The Russian Federation, edited." in _get(url)  # still the last good page
        actor.write_text(
            broken.replace("type: stat", "type: state").replace("edited", "fixed"), encoding="utf-8"
        )
        _wait_for(url, "The Russian Federation, fixed.")
        output = (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert "content/actors/russia.yaml:3:7: type: expected one of" in output
        assert "Traceback" not in output
        # no reload loop: once the files stop changing, the builds stop too
        time.sleep(3)
        settled = (tmp_path / "serve.log").read_text(encoding="utf-8").count("Building documentation")
        time.sleep(4)
        assert (tmp_path / "serve.log").read_text(encoding="utf-8").count("Building documentation") == settled
    except AssertionError as exc:
        log.flush()
        served = (tmp_path / "serve.log").read_text(encoding="utf-8")
        raise AssertionError(f"{exc}\n--- mkdocs serve output ---\n{served}") from None
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_serve_mode_shows_errors_then_recovers_then_keeps_last_good(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p")
    russia = project / "content" / "actors" / "russia.yaml"
    good = russia.read_text(encoding="utf-8")
    russia.write_text(good.replace("type: state", "type: stat"), encoding="utf-8")

    def pages_while_serving() -> dict[str, str]:
        config = load_config(str(project / "mkdocs.yml"))
        config.plugins.on_startup(command="serve", dirty=False)  # the plugin instance is cached
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        plugin = config.plugins["factsheet"]
        return {p.path: p.text for p in plugin.pages}

    broken = pages_while_serving()
    assert set(broken) == {
        "index.md",
        *(f"{k}/index.md" for k in ("actors", "meetings", "sanctions", "events", "sources")),
        "timeline.md",
        *("sanctions-overview.md", "source-audit.md", "maps/index.md"),  # in the sidebar too
    }
    assert "russia.yaml:3:7: type: expected one of" in broken["index.md"]
    russia.write_text(good, encoding="utf-8")
    fixed = pages_while_serving()
    assert "actors/russia.md" in fixed
    (project / "templates").mkdir()
    (project / "templates" / "actor.md.j2").write_text("{% if %}\n", encoding="utf-8")
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(
        mkdocs_yml.read_text(encoding="utf-8").replace(
            "content: content", "content: content\n      templates: templates"
        )
    )
    kept = pages_while_serving()
    # the last good pages, each under a banner listing the problems
    assert all(text.startswith('<div class="fs-errors" role="alert">') for text in kept.values())
    assert {path: text.split("\n\n", 1)[1] for path, text in kept.items()} == fixed
    err = capsys.readouterr().err
    assert "templates/actor.md.j2:1: template error" in err
    assert "still serving the last good briefing" in err
