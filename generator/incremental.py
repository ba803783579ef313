"""While serving: rebuild only the pages whose Markdown changed.

``mkdocs serve`` rebuilds the whole site after every save: it empties ``site_dir``, converts
every page's Markdown, renders every page through the theme and indexes every page for the
search. At 1,000 entries that is about 9 s, for one renamed meeting. The generator derives
every page from the content, so a page whose Markdown (with its title, search keywords and
place in the navigation) is the same as in the previous build, in a site whose settings,
navigation and theme are the same, comes out of MkDocs byte for byte as it did then.

:class:`PageCache` keeps, for each generated page of the previous build, what MkDocs made of
it: the final HTML, the table of contents, the anchors it has and links to, and the search
entries the search plugin made from it. In the next build, for a page whose key is unchanged,
the plugin (``generator/plugin.py``) makes MkDocs skip the expensive steps and restores them:

- ``Page.render`` (Python-Markdown) is replaced, on that page object only, by a restore of
  the table of contents, title and anchors (so navigation, anchor checks and titles are
  complete);
- the theme renders a one-line stub template instead of Material's ``main.html``, and the
  final HTML is put back in ``on_post_page``;
- the search plugin is told to skip the page (``search: exclude`` for the moment of
  indexing) and the page's previous entries are appended in its place, in the same order a
  clean build would index them.

Everything else runs as in any build: every page is still written (``site_dir`` is emptied
as always), the navigation, sitemap, 404 page and the whole search index are made from every
page, so nothing is left stale. Pages the plugin did not generate (the project's own pages in
``docs_dir``) are always rebuilt.

The key of a page is a hash of its own inputs and of a fingerprint of everything else a page's
HTML depends on: the configuration file, the navigation (titles and URLs), the theme and its
override folder, the plugins, and every non-generated file (path, size, modification time).
Any change there rebuilds every page. The cache is used only while serving, and only when the
plugins are the search plugin and this one (another plugin could depend on anything).
Memory grows with the site: one rendered page (about 30 KB) per generated page.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .render import Page

if TYPE_CHECKING:  # only generator/plugin.py imports MkDocs at run time
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page as MkDocsPage

STUB_TEMPLATE = "factsheet-unchanged-page.html"
"""Rendered instead of the theme's page template for a page whose HTML is restored."""

SAFE_PLUGINS = {"search", "material/search", "factsheet"}
"""With any other plugin, every page is rebuilt: it might read or change any page."""


@dataclass
class Rendered:
    """What MkDocs made of one generated page."""

    key: str
    html: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None
    """Links to anchors of other pages, by the linked page's ``src_uri``."""
    search: list[dict[str, Any]]


@dataclass
class BuildStats:
    pages: int = 0
    restored: int = 0

    @property
    def rebuilt(self) -> int:
        return self.pages - self.restored


@dataclass
class PageCache:
    entries: dict[str, Rendered] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    """This build: the key of every generated page."""
    active: bool = False
    """True between the navigation and the end of a build that may use the cache."""
    search: Any = None
    """Material's search plugin, whose index is filled page by page."""
    stats: BuildStats = field(default_factory=BuildStats)
    _hits: dict[str, Rendered] = field(default_factory=dict)
    _mark: int = 0
    _captured: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _meta_search: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ one build

    def begin(self, config: MkDocsConfig, files: Files, nav: Navigation, pages: Iterable[Page]) -> None:
        """After the navigation is made: the key of every generated page, for this build."""
        self._reset()
        search = search_plugin(config)
        if search is None or not set(config.plugins) <= SAFE_PLUGINS:
            self.entries.clear()
            return
        self.search = search
        site = fingerprint(config, files, nav)
        self.keys = {page.path: page_key(site, page) for page in pages}
        self.active = True

    def prepare(self, page: MkDocsPage) -> None:
        """Before a page is read: if its key is unchanged, restore instead of rendering it."""
        if not self.active:
            return
        uri = page.file.src_uri
        key = self.keys.get(uri)
        if key is None or page.file.generated_by is None:
            return  # not one of ours (the project's own page at that path wins)
        self.stats.pages += 1
        entry = self.entries.get(uri)
        if entry is not None and entry.key == key:
            self._hits[uri] = entry
            self.stats.restored += 1
            page.render = partial(_restore, page, entry)  # type: ignore[method-assign]

    def before_indexing(self, page: MkDocsPage) -> None:
        if not self.active:
            return
        uri = page.file.src_uri
        if uri in self._hits:  # the search plugin skips it; its entries are added after
            self._meta_search[uri] = page.meta.get("search")
            page.meta["search"] = {"exclude": True}
        else:
            self._mark = len(self.search.search_index.entries)

    def after_indexing(self, page: MkDocsPage) -> None:
        if not self.active:
            return
        uri = page.file.src_uri
        entries: list[dict[str, Any]] = self.search.search_index.entries
        entry = self._hits.get(uri)
        if entry is not None:
            previous = self._meta_search.pop(uri)
            if previous is None:
                page.meta.pop("search", None)
            else:
                page.meta["search"] = previous
            entries.extend(entry.search)
        elif uri in self.keys:
            self._captured[uri] = entries[self._mark :]

    def page_html(self, output: str, page: MkDocsPage) -> str:
        """The final HTML of a page: the kept one for a restored page; kept for the next build."""
        if not self.active:
            return output
        uri = page.file.src_uri
        entry = self._hits.get(uri)
        if entry is not None:
            return entry.html
        key = self.keys.get(uri)
        if key is not None and page.file.generated_by is not None and uri in self._captured:
            links = page.links_to_anchors
            self.entries[uri] = Rendered(
                key=key,
                html=output,
                toc=page.toc,
                title=page._title_from_render,
                anchors=None if page.present_anchor_ids is None else set(page.present_anchor_ids),
                links=None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
                search=self._captured.pop(uri),
            )
        return output

    def finish(self) -> BuildStats:
        """After a successful build: forget the pages that are gone."""
        stats = self.stats
        if self.active:
            for uri in set(self.entries) - set(self.keys):
                del self.entries[uri]
        self._reset()
        return stats

    def abort(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.active = False
        self.search = None
        self.keys = {}
        self.stats = BuildStats()
        self._hits = {}
        self._captured = {}
        self._meta_search = {}
        self._mark = 0


def _restore(page: MkDocsPage, entry: Rendered, config: MkDocsConfig, files: Files) -> None:
    """Stands in for ``Page.render``: what rendering set, from the previous build."""
    page.content = ""  # never shown: the page's HTML is restored whole
    page.toc = entry.toc
    page._title_from_render = entry.title
    page.present_anchor_ids = None if entry.anchors is None else set(entry.anchors)
    if entry.links is not None:
        links = {}
        for uri, anchors in entry.links.items():
            target = files.get_file_from_path(uri)
            if target is not None:
                links[target] = dict(anchors)
        page.links_to_anchors = links
    page.meta["template"] = STUB_TEMPLATE


def search_plugin(config: MkDocsConfig) -> Any:
    """Material's search plugin, if the site uses it."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        index = getattr(plugin, "search_index", None)
        if plugin is not None and isinstance(getattr(index, "entries", None), list):
            return plugin
    return None


def page_key(site: str, page: Page) -> str:
    digest = hashlib.blake2b(site.encode(), digest_size=20)
    for part in (page.path, page.title, repr(page.in_nav), "\x1f".join(page.keywords), page.text):
        digest.update(b"\x00")
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def fingerprint(config: MkDocsConfig, files: Files, nav: Navigation) -> str:
    """Everything other than a page's own Markdown that its HTML depends on."""
    digest = hashlib.blake2b(digest_size=20)

    def add(value: object) -> None:
        digest.update(repr(value).encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")

    if config.config_file_path and os.path.isfile(config.config_file_path):
        digest.update(Path(config.config_file_path).read_bytes())
    for key in (
        "site_name",
        "site_url",
        "site_description",
        "use_directory_urls",
        "markdown_extensions",
        "mdx_configs",
        "extra",
        "extra_css",
        "extra_javascript",
        "copyright",
        "repo_url",
        "edit_uri",
    ):
        add((key, config.get(key)))
    add(list(config.plugins))
    add((config.theme.name, list(config.theme.dirs), dict(config.theme)))
    custom = config.theme.custom_dir
    if custom and os.path.isdir(custom):
        for folder, _, names in sorted(os.walk(custom)):
            for name in sorted(names):
                add(_stat(os.path.join(folder, name)))
    add(_nav(nav.items))
    for file in files:
        if file.generated_by is None and file.abs_src_path is not None:
            add((file.src_uri, _stat(file.abs_src_path)))
    return digest.hexdigest()


def _stat(path: str) -> tuple[str, int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (path, st.st_size, st.st_mtime_ns)


def _nav(items: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        children = getattr(item, "children", None)
        url = getattr(item, "url", None)
        out.append((type(item).__name__, item.title, url, _nav(children) if children else None))
    return out
