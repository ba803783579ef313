"""Golden pages: the Markdown rendered from the small valid tree, one file per page.

A change to templates or rendering shows up as a diff of these files for a reviewer to
read. After a deliberate change: ``pytest tests/test_page_goldens.py --update-goldens``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from trees import VALID_TREE, write_tree

from generator.build import build
from generator.config import Config

GOLDEN = Path(__file__).parent / "golden" / "pages"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    content = write_tree(tmp_path_factory.mktemp("pages") / "content", VALID_TREE)
    # the guide's pages are files of ours, not rendered from content: tests/test_guide.py covers them
    config = Config(
        content_dir=content, site_name="Test briefing", description="A *test* briefing.", guide=False
    )
    site = build(config)
    return {page.path: page.text for page in site.pages}


def test_there_is_one_golden_per_page(rendered: dict[str, str], update_goldens: bool) -> None:
    if update_goldens:  # write every page, drop goldens of pages that are gone
        for stale in GOLDEN.rglob("*.md"):
            if stale.relative_to(GOLDEN).as_posix() not in rendered:
                stale.unlink()
        for path, text in rendered.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    assert {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")} == set(rendered)


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")) if GOLDEN.is_dir() else [],
)
def test_page_matches_golden(rendered: dict[str, str], update_goldens: bool, path: str) -> None:
    golden = GOLDEN / path
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered[path], encoding="utf-8")
    assert rendered[path] == golden.read_text(encoding="utf-8"), f"{path} differs from its golden"
