"""Hostile content in Chromium: no dialog, no script, no request to another host, no navigation.

Each round builds one tree whose every text field holds a different attack of the hostile
corpus (``tests/hostile.py``; every attack is placed in every round, each time in other
fields), with the payloads numbered by field (``alert(137)``) so a dialog names the field
it came from. Fields ``factsheet check`` refuses get benign text. Every page is opened;
then every element of the page's article and header gets synthetic mouse, pointer, focus,
keyboard and form events (never a click, which would follow links), and the page is
checked again.
"""

from __future__ import annotations

import functools
import http.server
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hostile import ATTACKS, FIRST_NUMBER, SLOTS, accept, fields_named, mixed_values, strict_build, unique

from .support import ARTIFACTS, LOCAL_HOST, is_local, open_session, serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ROUNDS = 4
BROWSER_ATTACKS = [a for a in ATTACKS if not a.control]  # C0 controls: refused or inert, nothing to run

# Synthetic events only: none of them activates a link or submits a form.
FIRE_EVENTS = """
() => {
  const types = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "mouseout",
    "mouseleave", "pointerover", "pointerenter", "pointerdown", "pointerup", "pointermove",
    "focus", "focusin", "blur", "focusout", "keydown", "keypress", "keyup", "beforeinput", "input",
    "change", "select", "invalid", "toggle", "load", "error", "animationstart", "animationend",
    "transitionend", "wheel", "scroll", "copy", "paste", "dragstart", "drag", "drop",
    "touchstart", "contextmenu"];
  const roots = document.querySelectorAll("article, .md-header__title, .md-header__topic");
  let fired = 0;
  for (const root of roots) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      for (const type of types) {
        el.dispatchEvent(new Event(type, {bubbles: true, cancelable: true}));
        fired += 1;
      }
      if (typeof el.focus === "function") el.focus({preventScroll: true});
    }
  }
  return fired;
}
"""

# What the live DOM holds, whatever parser quirk put it there.
LIVE_DOM = """
() => {
  const out = [];
  if (window.__fs_pwned !== undefined) out.push("window.__fs_pwned = " + window.__fs_pwned);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) out.push(`${el.tagName} has ${attr.name}=${attr.value}`);
    }
  }
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    const scheme = a.protocol ?? new URL(a.getAttribute("href"), document.baseURI).protocol;  // SVG links have no .protocol
    if (!["http:", "https:", "mailto:"].includes(scheme)) out.push(`link with ${scheme} ${a.getAttribute("href")}`);
  }
  const foreign = "script, style, base, meta, link, iframe, frame, object, embed, form, img, video, audio, "
    + "input, textarea, button, math";
  for (const el of document.querySelectorAll("article :is(" + foreign + ")")) {
    out.push(`<${el.tagName.toLowerCase()}> inside the article`);
  }
  return out;
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser drops connections it no longer needs


@contextmanager
def serve(site: Path) -> Iterator[str]:
    with serving(
        _Server((LOCAL_HOST, 0), functools.partial(_Quiet, directory=str(site))), "hostile-site"
    ) as url:
        yield url


def pages_of(site: Path) -> list[str]:
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        paths.append("/" if rel == "." else f"/{rel}/")
    return paths


def _field_of(message: str, labels: dict[int, str]) -> str:
    digits = "".join(c for c in message if c.isdigit())
    return labels.get(int(digits), "?") if digits else "?"


def _check(page: Page, url: str, dialogs: list[str], requests: list[str], start: int) -> list[str]:
    out = [f"dialog {d}" for d in dialogs]
    out += [f"request to another host: {r}" for r in requests[start:] if not is_local(r)]
    if page.url.split("#")[0] != url:
        out.append(f"navigated away to {page.url}")
        return out
    try:
        out += page.evaluate(LIVE_DOM)
    except Exception as exc:  # the page went away under the check: that is a finding too
        out.append(f"page could not be inspected: {exc}")
    return out


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_hostile_tree_runs_nothing_in_the_browser(
    round_: int, browser: Browser, all_requests: list[str], tmp_path: Path
) -> None:
    values, placed = mixed_values(BROWSER_ATTACKS, round_)
    assert set(placed.values()) == set(BROWSER_ATTACKS)  # every attack, in other fields each round
    labels = {FIRST_NUMBER + i: f"{s.label} ({placed[s].id})" for i, s in enumerate(SLOTS)}
    accepted = accept(tmp_path / "project", values)
    assert not accepted.problems, accepted.problems
    site = tmp_path / "site"
    warnings = strict_build(tmp_path / "project", site)  # a strict failure still writes every page
    paths = pages_of(site)
    assert len(paths) >= 14, paths

    session = open_session(browser, all_requests)
    page = session.page
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}({dialog.message!r}) from {_field_of(dialog.message, labels)}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    problems: list[str] = []
    fired = 0
    try:
        with serve(site) as base:
            for path in paths:
                url = base + path
                dialogs.clear()
                start = len(session.requests)
                try:
                    page.goto(url, wait_until="load")
                    page.wait_for_timeout(150)  # autofocus, ontoggle and onerror fire by themselves
                    found = _check(page, url, dialogs, session.requests, start)
                    if not found:
                        fired += page.evaluate(FIRE_EVENTS)
                        page.wait_for_timeout(100)
                        found = _check(page, url, dialogs, session.requests, start)
                except Exception as exc:
                    found = [f"{type(exc).__name__}: {str(exc).splitlines()[0]}"]
                for p in found:
                    named = [] if p.startswith("dialog") else fields_named(p)
                    problems.append(f"{path}: {p}" + (f" [from {', '.join(named)}]" if named else ""))
                if round_ == 0 and path == "/actors/person-a/" and not found:
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / "hostile-person-page.png"), full_page=True)
    finally:
        session.context.close()
    refused = len(accepted.refused)
    print(
        f"\nhostile round {round_}: {len(SLOTS) - refused} of {len(SLOTS)} fields hold an attack "
        f"({refused} refused by check), {len(paths)} pages, {fired} events fired, "
        f"{len(problems)} problems" + (f"; strict build: {warnings[-1]}" if warnings else "")
    )
    assert fired > 0 or problems, "no event was fired: the article was not found"
    assert not problems, "hostile content ran or loaded in the browser:\n" + "\n".join(unique(problems, 60))
