"""The MkDocs plugin: hands the generated pages to MkDocs in memory.

Thin by design: it calls the same :func:`generator.build.build` as the CLI. Nothing is
written into ``docs_dir`` or the content folder. While serving, a content error is
logged with its locations and the last good pages are kept, so the site stays up and
recovers as soon as the file is fixed.

While serving, a rebuild after a save renders only the pages whose Markdown changed and
restores every other page as the previous build made it (:mod:`generator.incremental`).
"""

from __future__ import annotations

import dataclasses
import html
import logging
import os
import re
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from .analysis import NAV as ANALYSIS_NAV
from .analysis import SANCTIONS_OVERVIEW, SOURCE_AUDIT, WHATS_NEW
from .analysis_map import site_urls
from .build import build
from .config import OPTIONS, Config, from_options
from .errors import ConfigError, ContentError, shown
from .guide import GUIDE_NAV
from .incremental import STUB_TEMPLATE, PageCache, search_plugin
from .link import Graph
from .load import content_warnings
from .markup import visible
from .model import KIND, KINDS
from .paths import check_site_dir
from .render import TAGS, TIMELINE, Page, with_error_banner

log = logging.getLogger("mkdocs.plugins.factsheet")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to ``sys.stderr`` as it is when a message is logged (pytest swaps it per test)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def _serve_log() -> logging.Logger:
    """Content errors while serving: printed, but outside the ``mkdocs`` logger on purpose.

    MkDocs counts every warning and error on its own loggers and, in strict mode, aborts the
    rebuild, after which its server stops answering. These errors are handled (the last
    good pages are served), so they must not abort anything.
    """
    logger = logging.getLogger("factsheet.serve")
    if not logger.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("ERROR    -  %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


CSS = "assets/factsheet/factsheet.css"
JS = "assets/factsheet/factsheet.js"  # the timeline filter: a static file of ours, no inline script
ANALYSIS_CSS = "assets/factsheet/factsheet-analysis.css"
TABLES_JS = "assets/factsheet/factsheet-tables.js"  # sorting and filtering the sanctions overview
LISTINGS = {TIMELINE, TAGS, SANCTIONS_OVERVIEW, SOURCE_AUDIT, *(f"{kind.folder}/index.md" for kind in KINDS)}
"""Pages that list entries with their names and summaries: only their opening is indexed for search."""
REPEATED_SECTIONS = (
    "timeline",
    "notes",
    "mentioned-in",
    "claims-by-",
    "claims-about-",
    "where-this-source-is-cited",
)
"""Sections of an entry's page that repeat other pages (claims recorded under another entry, the
timeline of related entries, the sources cited, the entries citing a source): left out of the search index, whose
payload would otherwise grow with the square of the links; every name, alias, summary and claim
is indexed on its own page."""
_HEADING = re.compile(r'<h[1-6]\b[^>]*?\sid="([^"]+)"')
REQUIRED_EXTENSIONS = ("tables", "md_in_html")
"""Markdown extensions the built-in templates rely on; the plugin turns them on if missing."""

# The plugin's options, derived from the one table the CLI reads too (generator.config.OPTIONS):
# all optional here, so that defaults are applied in one place, by config.from_options.
if TYPE_CHECKING:
    FactsheetConfig = base.Config
else:
    FactsheetConfig = type(
        "FactsheetConfig",
        (base.Config,),
        {name: c.Optional(c.Type(spec.type)) for name, spec in OPTIONS.items()},
    )


class FactsheetPlugin(BasePlugin[FactsheetConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        # pages of the last successful build, with the options they were built with: MkDocs
        # keeps one plugin instance per process, across rebuilds (and, in tests, projects)
        self.last_good: tuple[Config, list[Page]] | None = None
        self.pages: list[Page] = []
        self.only_errors = False
        self.options: Config | None = None
        self.titles: dict[str, str] = {}
        self.keywords: dict[str, tuple[str, ...]] = {}
        self.downloads: dict[str, bytes] = {}  # option `downloads`: the JSON export and the schemas
        self.graph: Graph | None = None  # of the last successful build
        self.pdf_folder: tempfile.TemporaryDirectory[str] | None = None  # option `pdf`, until copied
        self.generated: list[Page] = []  # the pages handed to MkDocs in this build
        self.cache = PageCache()  # while serving: what MkDocs made of each page last time
        self.search_mark = -1  # entries in the search index before the page being indexed

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        docs = Path(config.docs_dir).resolve()
        try:
            self.options = from_options(
                {k: v for k, v in dict(self.config).items() if v is not None},
                root,
                config.site_name,
                config.site_description or "",
                docs_dir=docs,
                where=str(config.config_file_path or "mkdocs.yml"),
            )
            # MkDocs empties site_dir: never the content, templates or project folder
            check_site_dir(Path(config.site_dir), self.options, root, foreign=not self.serving)
            if self.serving:  # PDFs take seconds per entry: never while serving, nor links to them
                self.options = dataclasses.replace(self.options, pdf=False)
        except ConfigError as exc:
            raise PluginError(f"factsheet: {shown(str(exc))}") from None
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if config.nav is None and self.options.nav:
            own = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
            config.nav = [
                {"Home": "index.md"},
                *({kind.title: f"{kind.folder}/index.md"} for kind in KINDS),
                {"Timeline": TIMELINE},
                {"Analysis": [{title: path} for title, path in self._analysis_nav()]},
                *(
                    [{"Curator's guide": [{title: path} for title, path in GUIDE_NAV]}]
                    if self.options.guide
                    else []
                ),
                *(page for page in own if page != "index.md"),  # the project's own pages
            ]
        config.extra_css.insert(0, CSS)
        config.extra_css.insert(1, ANALYSIS_CSS)
        for script in (JS, TABLES_JS):
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        return config

    def _analysis_nav(self) -> list[tuple[str, str]]:
        extra = [("What's new", WHATS_NEW)] if self.options and self.options.whats_new_since else []
        return [*ANALYSIS_NAV, *extra]

    def _pages(self) -> list[Page]:
        assert self.options is not None
        for warning in content_warnings(self.options.content_dir):  # info: --strict counts warnings
            log.info("factsheet: %s", warning)
        try:
            site = build(self.options)
            pages = site.pages
            self.graph = site.graph
            if self.options.downloads:
                from .export import site_downloads

                self.downloads = site_downloads(site.graph, self.options.site_name)
            else:
                self.downloads = {}
        except ContentError as exc:
            if not self.serving:
                raise PluginError(f"factsheet: the content has errors:\n{exc.report()}") from None
            return self._keep_serving([str(d) for d in exc.diagnostics])
        except ConfigError as exc:  # a broken template override, for instance
            if not self.serving:
                raise PluginError(f"factsheet: {exc}") from None
            return self._keep_serving([str(exc)])
        self.last_good = (self.options, pages)
        return pages

    def _keep_serving(self, problems: list[str]) -> list[Page]:
        """While serving: report, then serve the last good pages (or pages listing the problems)."""
        assert self.options is not None
        serve_log = _serve_log()
        for problem in problems:
            serve_log.error(problem)
        if self.last_good is not None and self.last_good[0].content_dir == self.options.content_dir:
            serve_log.error("factsheet: still serving the last good briefing until this is fixed")
            return [with_error_banner(page, problems) for page in self.last_good[1]]
        serve_log.error("factsheet: serving pages that list the problems until they are fixed")
        self.only_errors = True
        return _error_pages(problems)

    def _errors_for_every_url(self, config: MkDocsConfig) -> None:
        """A cold start with broken content has no entry pages: every other URL would be a bare
        404. The server answers those with ``404.html``, so that becomes the home page listing
        the problems (with a ``<base>`` at the site's root, as it is served at any depth)."""
        site = Path(config.site_dir)
        home = site / "index.html"
        if not home.is_file():
            return
        root = urlsplit(config.site_url or "/").path or "/"
        page = home.read_text(encoding="utf-8")
        page = page.replace("<head>", f'<head>\n<base href="{html.escape(root)}">', 1)
        (site / "404.html").write_text(page, encoding="utf-8")

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Build here, not in on_files: MkDocs empties site_dir between the two, and a
        # content error must leave the previously built site untouched.
        self.only_errors = False  # set by _keep_serving when there is no last good briefing
        self.pages = self._pages()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.generated = []
        for page in self.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                log.info(
                    "factsheet: docs_dir has its own %s; using it instead of the generated page", page.path
                )
                continue
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.path, content=page.text, inclusion=inclusion))
            self.generated.append(page)
            self.titles[page.path] = page.title
            self.keywords[page.path] = page.keywords
        css = resources.files("generator.assets").joinpath("factsheet.css").read_bytes()
        files.append(File.generated(config, CSS, content=css))
        js = resources.files("generator.assets").joinpath("factsheet.js").read_bytes()
        files.append(File.generated(config, JS, content=js))
        for asset in (ANALYSIS_CSS, TABLES_JS):
            data = resources.files("generator.assets").joinpath(asset.rsplit("/", 1)[1]).read_bytes()
            files.append(File.generated(config, asset, content=data))
        for path, data in self.downloads.items():
            if files.get_file_from_path(path) is None:  # a file of docs_dir's own wins, as for pages
                files.append(File.generated(config, path, content=data))
        for path, pdf in self._pdfs():
            files.append(File.generated(config, path, abs_src_path=str(pdf)))
        return files

    def _pdfs(self) -> list[tuple[str, Path]]:
        """With ``pdf: true`` (never while serving): every brief and the book, rendered into a
        temporary folder and handed to MkDocs as site files (``pdf/briefing.pdf``,
        ``pdf/briefs/<kind>/<id>.pdf``), so the pages' links to them are checked like any other."""
        if self.options is None or not self.options.pdf or self.graph is None:
            return []
        from .pdf import build_pdfs  # here: WeasyPrint loads only when the option is on

        self._drop_pdfs()
        self.pdf_folder = tempfile.TemporaryDirectory(prefix="factsheet-pdf-")
        out, state = Path(self.pdf_folder.name) / "pdf", Path(self.pdf_folder.name) / "state"
        try:  # the hashes and the book's cached parts stay in `state`, out of the site
            build_pdfs(self.graph, self.options, out, state=state)
        except (ConfigError, ContentError) as exc:
            raise PluginError(f"factsheet: PDF: {exc}") from None
        return [(f"pdf/{p.relative_to(out).as_posix()}", p) for p in sorted(out.rglob("*.pdf"))]

    def _drop_pdfs(self) -> None:
        if self.pdf_folder is not None:
            self.pdf_folder.cleanup()
            self.pdf_folder = None

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Leave repeated text out of the search index (Material's ``data-search-exclude``).

        The search plugin removes the attributes from the page once it has indexed it, so the
        HTML is the same; only the index (the first download of any search) is smaller.
        """
        uri = page.file.src_uri
        if uri not in self.titles or page.file.generated_by is None or search_plugin(config) is None:
            return html
        if uri in LISTINGS:
            dropped = set(_toc_ids(page.toc, lambda _: True))
        else:
            dropped = set(_toc_ids(page.toc, lambda i: i == "timeline" or i.startswith(REPEATED_SECTIONS)))
        if dropped:
            html = _HEADING.sub(
                lambda m: (
                    f'{m.group(0)} data-search-exclude="repeated"' if m.group(1) in dropped else m.group(0)
                ),
                html,
            )
        return html.replace(
            '<details class="fs-curator"', '<details class="fs-curator" data-search-exclude="notes"'
        )

    @event_priority(-100)  # after other plugins: the navigation as the theme will show it
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if (
            self.serving and os.environ.get("FACTSHEET_SERVE_CACHE", "1") != "0"
        ):  # 0: as a benchmark's baseline
            self.cache.begin(config, files, nav, self.generated)
        return nav

    def on_pre_page(self, page: MkDocsPage, *, config: MkDocsConfig, files: Files) -> MkDocsPage:
        self.cache.prepare(page)
        return page

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.cache.active:  # a restored page renders this instead of the theme's page template
            assert env.loader is not None
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({STUB_TEMPLATE: "restored"}), env.loader])
        return env

    @event_priority(100)  # before the search plugin indexes the page
    def _before_indexing(
        self, context: Any, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        search = _search_entries(config)
        self.search_mark = -1 if search is None else len(search)
        self.cache.before_indexing(page)
        return context

    @event_priority(-100)  # after it
    def _after_indexing(
        self, context: Any, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        search = _search_entries(config)
        if search is not None and self.search_mark >= 0 and page.file.src_uri in self.titles:
            # the entry's names find its page: on its first entry, not again on each section
            for entry in search[self.search_mark + 1 :]:
                entry.pop("tags", None)
        self.cache.after_indexing(page)
        return context

    on_page_context = CombinedEvent(_before_indexing, _after_indexing)

    @event_priority(-100)  # last: the page's final HTML
    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        return self.cache.page_html(output, page)

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Give each generated page its title as escaped HTML, through ``page.meta``.

        Themes print the title raw, and Material's ``<title>`` passes it through
        ``striptags``, which decodes entities: a name such as ``</title><script>`` would
        come out as markup there. A meta title is printed as it is, everywhere (``<title>``,
        header, search index), so the escaped title shows the name as text.
        """
        title = self.titles.get(page.file.src_uri)
        if title is not None and '<figure class="fs-map"' in markdown:  # map links, as this site serves pages
            markdown = site_urls(markdown, page.file.src_uri, config.use_directory_urls)
        if title is not None and not page.is_homepage:
            page.meta["title"] = html.escape(visible(title))
            kind = KIND.get(page.file.src_uri.split("/")[0])
            if kind is not None and kind.search_boost != 1.0 and not page.file.src_uri.endswith("/index.md"):
                page.meta["search"] = {"boost": kind.search_boost}  # Material's per-page search weight
            # Material's search weighs a page's `tags` far above its text: the entry's names (and
            # their inflected forms) find its own page first. Not shown: the theme prints page tags
            # only with its tags plugin, which would turn them into a tag index, so then none are set.
            found_by = self.keywords.get(page.file.src_uri)
            if found_by and not {"tags", "material/tags"} & set(config.plugins):
                page.meta.setdefault("tags", list(found_by))
        return markdown

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._drop_pdfs()  # MkDocs has copied them into site_dir
        if self.serving and self.only_errors:
            self._errors_for_every_url(config)
        if self.cache.active:
            stats = self.cache.finish()
            log.info("factsheet: rendered %d of %d pages, the others unchanged", stats.rebuilt, stats.pages)

    def on_build_error(self, *, error: Exception) -> None:
        self._drop_pdfs()
        self.cache.abort()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        assert self.options is not None
        server.watch(str(self.options.content_dir))
        if self.options.templates_dir is not None:
            server.watch(str(self.options.templates_dir))
        return server


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entries of Material's search index, as its plugin fills them page by page."""
    plugin = search_plugin(config)
    return None if plugin is None else plugin.search_index.entries


def _toc_ids(toc: Any, chosen: Any) -> list[str]:
    """The anchors of the table of contents' items for which ``chosen(id)`` holds, with all below them."""
    out: list[str] = []
    for item in toc or ():
        if item.level <= 1:  # the page's title: its opening is always indexed
            out.extend(_toc_ids(item.children, chosen))
        elif chosen(item.id):
            out.append(item.id)
            out.extend(_toc_ids(item.children, lambda _: True))
        else:
            out.extend(_toc_ids(item.children, chosen))
    return out


def _error_pages(problems: list[str]) -> list[Page]:
    """Stand-ins for the home page and every section, each listing the problems."""
    lines = "\n".join(f"    {p}" for p in problems)
    text = f"# The briefing has errors\n\nFix these and save; the briefing rebuilds by itself.\n\n{lines}\n"
    paths = [
        "index.md",
        *(f"{kind.folder}/index.md" for kind in KINDS),
        TIMELINE,
        *(p for _, p in ANALYSIS_NAV),
    ]
    return [Page(path, "Content errors", text, in_nav=True) for path in paths]
