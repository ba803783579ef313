"""`factsheet bundle`: the offline zip's settings, layout and safety, without a browser.

The browser opens the zip from disk in ``tests/browser/test_offline_bundle.py``.
"""

from __future__ import annotations

import html.parser
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from projects import make_project, mkdocs_yml

from generator.bundle import SHIM_URL, offline_overrides
from generator.cli import main

MKDOCS_YML = mkdocs_yml(top="site_url: https://example.github.io/briefing/\n")


class _Loads(html.parser.HTMLParser):
    """Addresses a page makes the browser load (not mere links such as rel=canonical)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.urls.append(str(a["src"]))
        if tag == "link" and a.get("href") and (a.get("rel") or "") not in ("canonical", "alternate"):
            self.urls.append(str(a["href"]))


def loads(text: str) -> list[str]:
    parser = _Loads()
    parser.feed(text)
    return parser.urls


@pytest.fixture
def project(tmp_path: Path) -> Path:
    about = "# About\n\nSee [the home page](index.md).\n"
    return make_project(tmp_path / "project", yml=MKDOCS_YML, about=about)


def run_bundle(project: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["bundle", "--config", str(project / "mkdocs.yml"), "--out", str(out)])
    return result.exit_code, result.output


# ------------------------------------------------------------------ settings


def test_offline_overrides_add_the_offline_plugin_and_the_local_worker_shim() -> None:
    settings = {"plugins": ["search", {"factsheet": {"content": "content"}}], "extra": {"analytics": {}}}
    overrides = offline_overrides(settings)
    assert overrides["use_directory_urls"] is False
    assert overrides["plugins"] == ["search", {"factsheet": {"content": "content"}}, "offline"]
    assert overrides["extra"] == {"analytics": {}, "polyfills": [SHIM_URL]}
    assert "theme" not in overrides
    assert "iframe-worker" in SHIM_URL, "the offline plugin adds its CDN copy unless a polyfill names it"
    assert settings["plugins"] == ["search", {"factsheet": {"content": "content"}}], (
        "the input is not changed"
    )


def test_offline_overrides_keep_what_is_already_there() -> None:
    assert offline_overrides({"plugins": ["search", "offline"]})["plugins"] == ["search", "offline"]
    assert offline_overrides({"plugins": [{"material/offline": {}}]})["plugins"] == [{"material/offline": {}}]
    assert offline_overrides({"plugins": {"search": {}}})["plugins"] == {"search": {}, "offline": {}}
    assert offline_overrides({})["plugins"] == ["search", "offline"]
    assert offline_overrides({"theme": "material"})["theme"] == {"name": "material", "font": False}
    theme = {"name": "material", "font": {"text": "Roboto"}, "palette": {"primary": "indigo"}}
    assert offline_overrides({"theme": theme})["theme"] == {**theme, "font": False}
    polyfills = offline_overrides({"extra": {"polyfills": ["mine.js", SHIM_URL]}})["extra"]["polyfills"]
    assert polyfills == ["mine.js", SHIM_URL]


# ------------------------------------------------------------------ the zip


def test_bundle_writes_a_zip_of_html_pages_with_offline_search(project: Path, tmp_path: Path) -> None:
    before = (project / "mkdocs.yml").read_bytes(), (project / "mkdocs.yml").stat().st_mtime_ns
    out = tmp_path / "dist" / "briefing.zip"
    code, output = run_bundle(project, out)
    assert code == 0, output
    assert re.search(r"briefing\.zip: \d+ files, \d+\.\d MB; unzip it and open briefing/index\.html", output)
    assert ((project / "mkdocs.yml").read_bytes(), (project / "mkdocs.yml").stat().st_mtime_ns) == before
    assert not (project / "site").exists(), "nothing is built inside the project"

    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        pages = {name: archive.read(name).decode("utf-8") for name in names if name.endswith(".html")}
        shim = archive.read(f"briefing/{SHIM_URL}").decode("utf-8")
        modes = {stat.S_IMODE(info.external_attr >> 16) for info in archive.infolist()}
    assert {n.split("/")[0] for n in names} == {"briefing"}, "one top folder, named like the zip"
    assert {"briefing/index.html", "briefing/about.html", "briefing/actors/kim-jong-un.html"} <= names
    assert "briefing/search/search_index.js" in names, "the offline plugin's index for file://"
    assert not names & {"briefing/404.html", "briefing/sitemap.xml", "briefing/sitemap.xml.gz"}
    assert "Worker" in shim and "file:" in shim
    assert all(mode & 0o444 == 0o444 for mode in modes), "every file readable by all when unzipped"

    home = pages["briefing/index.html"]
    assert 'href="actors/kim-jong-un.html"' in home or 'href="actors/index.html"' in home
    assert f'<script src="{SHIM_URL}"' in home
    for name, text in pages.items():
        remote = [url for url in loads(text) if "//" in url.split("?")[0]]
        assert not remote, f"{name} loads from another host: {remote}"
        for href in re.findall(r'href="([^"#?]*)', text):
            if href and "://" not in href and not href.startswith(("mailto:", "data:")):
                assert not href.endswith("/"), f"{name} links to a folder: {href}"


def test_bundle_file_has_the_usual_permissions_and_replaces_the_old_zip(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefing.zip"
    out.write_bytes(b"old")
    previous = os.umask(0o022)
    try:
        code, output = run_bundle(project, out)
    finally:
        os.umask(previous)
    assert code == 0, output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_content_errors_leave_the_previous_zip_untouched(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefing.zip"
    assert run_bundle(project, out)[0] == 0
    before = out.read_bytes()
    (project / "content" / "actors" / "russia.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    code, output = run_bundle(project, out)
    assert code == 1
    assert "russia.yaml:2:1: YAML syntax error" in output
    assert out.read_bytes() == before


def test_bundle_refuses_to_write_into_content_or_docs(project: Path) -> None:
    for inside in (project / "content" / "x.zip", project / "docs" / "x.zip"):
        code, output = run_bundle(project, inside)
        assert code == 2
        assert "overlaps" in output
        assert not inside.exists()


def test_bundle_without_a_configuration_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run_bundle(tmp_path, tmp_path / "x.zip")
    assert code == 2
    assert "mkdocs.yml: no such file" in output


def test_a_strict_build_warning_fails_the_bundle_and_keeps_the_previous_zip(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefing.zip"
    out.write_bytes(b"previous")
    (project / "docs" / "about.md").write_text("# About\n\n[gone](no-such-page.md)\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["bundle", "--config", str(project / "mkdocs.yml"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "the offline build failed: Aborted with 1 warnings in strict mode" in result.output
    assert "no-such-page.md" in result.output  # MkDocs' own warning, printed
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.zip", "project"]
