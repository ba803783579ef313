"""The ``factsheet`` command. Thin: translates errors into messages and exit codes.

Exit codes: 0 success, 1 content errors, 2 usage, configuration or file-system errors,
3 an internal error (a bug: set FACTSHEET_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .build import build, load_graph
from .bundle import bundle
from .config import DEFAULT_CONFIG, load_config
from .errors import ConfigError, ContentError, display_path, shown
from .load import content_warnings
from .model import MODELS
from .paths import guard_output, is_site, only_names
from .schema import full_schema, kind_schema
from .write import is_ours, remove_leftover_temps, write_files

F = TypeVar("F", bound=Callable[..., Any])

CONTENT_OPTION = click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False),
    help="Content folder to read (default: the one mkdocs.yml configures, else content/).",
)
CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="MkDocs configuration to read the plugin options from (default: mkdocs.yml).",
)
FORCE_OPTION = click.option(
    "--force",
    is_flag=True,
    help="Write into an output that already holds files factsheet did not write (replacing same-named ones).",
)


def _edge(func: F) -> F:
    """Turn our errors into messages and exit codes; never show a traceback for them."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ContentError as exc:
            click.echo(exc.report(), err=True)
            sys.exit(1)
        except ConfigError as exc:
            click.echo(f"Error: {shown(str(exc))}", err=True)
            sys.exit(2)
        except OSError as exc:  # a folder that cannot be written, a full disk
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"Error: {shown(f'{exc.strerror or exc}{where}')}", err=True)
            sys.exit(2)
        except Exception as exc:  # a bug of ours: say so plainly rather than dump a traceback
            if os.environ.get("FACTSHEET_DEBUG"):
                raise
            click.echo(
                f"factsheet: internal error ({type(exc).__name__}: {shown(str(exc))}). Please report it; "
                "set FACTSHEET_DEBUG=1 to see the traceback.",
                err=True,
            )
            sys.exit(3)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factsheet")
def main() -> None:
    """Build cross-linked briefing pages from curated YAML facts."""


@main.command()
@CONTENT_OPTION
@CONFIG_OPTION
@click.option(
    "--audit",
    is_flag=True,
    help="Also list what rests on thin evidence (single sources, anonymous claims, no locator, ...): "
    "advice, the exit code stays 0.",
)
@_edge
def check(content: Path | None, config_file: Path | None, audit: bool = False) -> None:
    """Check the content; print every error with its file, line and column."""
    config = load_config(config_file, content)
    _warn(config.content_dir)
    graph = load_graph(config.content_dir)
    counts = graph.counts()
    total = sum(counts.values())
    parts = ", ".join(f"{n} {kind if n != 1 else kind.removesuffix('s')}" for kind, n in counts.items())
    noun = "entry" if total == 1 else "entries"
    if total == 0:
        click.echo(f"{display_path(config.content_dir)}: no entries found (no YAML files in a kind folder)")
        return
    click.echo(f"{display_path(config.content_dir)}: {total} {noun} OK ({parts})")
    if audit:
        from .analysis_audit import audit as thin_evidence
        from .analysis_audit import report

        click.echo(report(graph, thin_evidence(graph)), nl=False)


@main.command(name="diff")
@click.argument("old")
@click.argument("new", required=False)
@CONTENT_OPTION
@CONFIG_OPTION
@_edge
def diff_command(old: str, new: str | None, content: Path | None, config_file: Path | None) -> None:
    """List what changed from OLD to NEW: entries and claims added, removed, renamed and
    changed, field by field.

    OLD and NEW are each a content folder or a git revision (HEAD~3, a tag, a commit) of the
    repository holding the content folder, read without changing anything in it. NEW
    defaults to the content folder as it is now.
    """
    from .analysis_diff import diff_report

    config = load_config(config_file, content)
    click.echo(diff_report(old, new, config.content_dir), nl=False)


@main.command()
@click.option(
    "--kind",
    type=click.Choice(list(MODELS)),
    help="Print the schema of one kind only (default: all kinds in one document).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write <kind>.schema.json for every kind into this folder instead of printing.",
)
@FORCE_OPTION
@_edge
def schema(kind: str | None, out: Path | None, force: bool) -> None:
    """Print the JSON Schema of the content format (for editors)."""
    if out is not None:
        guard_output(out, ours=is_ours, force=force)
        schemas = {
            f"{name}.schema.json": (
                json.dumps(kind_schema(name), indent=2, ensure_ascii=False) + "\n"
            ).encode()
            for name in MODELS
        }
        write_files(schemas, out, force=force)
        click.echo(f"wrote {len(MODELS)} schemas to {display_path(out)}")
        return
    document = kind_schema(kind) if kind else full_schema()
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@main.command(name="build")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("build/pages"),
    show_default=True,
    help="Folder to write the Markdown pages into.",
)
@CONTENT_OPTION
@CONFIG_OPTION
@FORCE_OPTION
@_edge
def build_command(out: Path, content: Path | None, config_file: Path | None, force: bool) -> None:
    """Write the briefing's Markdown pages to a folder (only files whose bytes changed)."""
    config = load_config(config_file, content)
    guard_output(out, config=config, config_file=config_file, ours=is_ours, force=force)
    _warn(config.content_dir)
    site = build(config)
    files = {page.path: page.text.encode("utf-8") for page in site.pages}
    if config.downloads:  # the home page links them: the folder is a complete input for any engine
        from .export import site_downloads

        files.update(site_downloads(site.graph, config.site_name))
    report = write_files(files, out, force=force)
    if report.kept:
        click.echo(
            f"{display_path(out)}: left alone {len(report.kept)} file(s) no longer generated that factsheet "
            f"cannot verify as its own (changed since, or listed without a hash): {shown(', '.join(report.kept[:5]))}",
            err=True,
        )
    click.echo(
        f"{display_path(out)}: {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed ({len(site.pages)} pages, {len(files) - len(site.pages)} downloads)"
    )


@main.command(name="bundle")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("build/briefing-offline.zip"),
    show_default=True,
    help="Zip file to write (replaced only when the build succeeds).",
)
@CONFIG_OPTION
@_edge
def bundle_command(out: Path, config_file: Path | None) -> None:
    """Zip a copy of the site that works opened from disk: links and search, no server, no network."""
    config_path = config_file or Path(DEFAULT_CONFIG)
    if not config_path.is_file():
        raise ConfigError(f"{config_path}: no such file (the offline copy is built from it)")
    config = load_config(config_path)
    guard_output(out, config=config, config_file=config_path, file=True)
    if out.parent.is_dir():  # what a killed run left beside the zip
        remove_leftover_temps(out.parent, out.name)
    load_graph(config.content_dir)  # content errors are listed as by `check`, before MkDocs runs
    click.echo(f"building the offline copy of the site from {display_path(config_path)} ...", err=True)
    report = bundle(config_path, out)
    click.echo(
        f"{display_path(out)}: {report.files} files, {report.size / 1_000_000:.1f} MB; "
        f"unzip it and open {out.stem}/index.html"
    )


@main.command(name="pdf")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("build/pdf"),
    show_default=True,
    help="Folder for briefing.pdf and briefs/<kind>/<id>.pdf.",
)
@click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="Paper size."
)
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Processes rendering in parallel (default: one per CPU)."
)
@CONTENT_OPTION
@CONFIG_OPTION
@FORCE_OPTION
@_edge
def pdf_command(
    out: Path, paper: str, jobs: int | None, content: Path | None, config_file: Path | None, force: bool
) -> None:
    """Write a PDF brief per entry and the briefing book (only those whose input changed)."""
    from .pdf import build_pdfs  # WeasyPrint loads only for this command

    config = load_config(config_file, content)
    pdf_output = only_names("briefing.pdf", ".briefing.pdf.hash", "briefs", ".briefing-parts")
    guard_output(out, config=config, config_file=config_file, ours=pdf_output, force=force)
    if out.is_dir():  # what a killed run left
        remove_leftover_temps(out)
    graph = load_graph(config.content_dir)
    report = build_pdfs(
        graph,
        config,
        out,
        paper="letter" if paper == "letter" else "a4",
        workers=jobs,
        progress=lambda message: click.echo(f"pdf: {message}", err=True),
    )
    click.echo(
        f"{display_path(out)}: {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed (book: {report.book_pages} pages)"
    )


@main.command(name="site")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the HTML site (default: site_dir of mkdocs.yml, else site/).",
)
@click.option("--strict/--no-strict", default=True, show_default=True, help="Run mkdocs build --strict.")
@CONFIG_OPTION
@FORCE_OPTION
@_edge
def site_command(out: Path | None, strict: bool, config_file: Path | None, force: bool) -> None:
    """mkdocs build into a temporary folder, then swap it in: a failed or killed build keeps the old site."""
    from .sitebuild import build_site, default_site_dir

    config_path = config_file or Path(DEFAULT_CONFIG)
    if not config_path.is_file():
        raise ConfigError(f"{config_path}: no such file (the site is built from it)")
    config = load_config(config_path)
    out = out or default_site_dir(config_path)
    guard_output(out, config=config, config_file=config_path, ours=is_site, force=force)
    _warn(config.content_dir)
    load_graph(config.content_dir)  # content errors are listed as by `check`, before MkDocs runs
    files = build_site(config_path, out, strict=strict)
    click.echo(f"{display_path(out)}: {files} files, swapped in whole")


@main.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "ftm"]),
    default="json",
    show_default=True,
    help="json: every entry, links resolved, with its JSON Schema; csv: one file per kind; "
    "ftm: FollowTheMoney entities (JSON lines).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write into (default: build/export/<format>).",
)
@click.option("--bom", is_flag=True, help="CSV only: begin each file with a byte-order mark (for Excel).")
@CONTENT_OPTION
@CONFIG_OPTION
@FORCE_OPTION
@_edge
def export_command(
    fmt: str, out: Path | None, bom: bool, content: Path | None, config_file: Path | None, force: bool
) -> None:
    """Export the checked content for other tools: JSON, CSV or FollowTheMoney (docs/exports.md)."""
    from .export import export_files

    if bom and fmt != "csv":
        raise ConfigError("--bom applies to --format csv only")
    config = load_config(config_file, content)
    out = out or Path("build/export") / fmt
    guard_output(out, config=config, config_file=config_file, ours=is_ours, force=force)
    _warn(config.content_dir)
    graph = load_graph(config.content_dir)
    report = write_files(export_files(graph, fmt, title=config.site_name, bom=bom), out, force=force)
    click.echo(
        f"{display_path(out)}: {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed ({sum(graph.counts().values())} entries)"
    )


@main.command(name="new")
@click.argument("kind", type=click.Choice([*MODELS, *(k.removesuffix("s") for k in MODELS)]), metavar="KIND")
@click.argument("entity_id", metavar="ID")
@CONTENT_OPTION
@CONFIG_OPTION
@_edge
def new_command(kind: str, entity_id: str, content: Path | None, config_file: Path | None) -> None:
    """Write a commented skeleton entry: KIND (actors, meetings, sanctions, events, sources), ID its file name."""
    from .scaffold import new_entry

    config = load_config(config_file, content)
    path = new_entry(config.content_dir, kind, entity_id)
    click.echo(f'wrote {display_path(path)}: fill in every "" and run factsheet check')


@main.command(name="init")
@click.argument("directory", type=click.Path(path_type=Path), metavar="DIR")
@FORCE_OPTION
@_edge
def init_command(directory: Path, force: bool) -> None:
    """Start a briefing in DIR: example content of every kind, mkdocs.yml, README, Pages workflow."""
    from .scaffold import init_project

    written = init_project(directory, force=force)
    click.echo(
        f"{display_path(directory)}: wrote {len(written)} files; next: cd {display_path(directory)}, "
        "then factsheet check and mkdocs serve (see README.md)"
    )


def _warn(content_dir: Path) -> None:
    """Print what is ignored in the content folder (hidden files), located, on stderr."""
    for warning in content_warnings(content_dir):
        click.echo(str(warning), err=True)
