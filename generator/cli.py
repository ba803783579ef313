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
from .config import is_within, load_config
from .errors import ConfigError, ContentError, display_path
from .model import MODELS
from .schema import full_schema, kind_schema
from .write import write_pages

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
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except OSError as exc:  # a folder that cannot be written, a full disk
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"Error: {exc.strerror or exc}{where}", err=True)
            sys.exit(2)
        except Exception as exc:  # a bug of ours: say so plainly rather than dump a traceback
            if os.environ.get("FACTSHEET_DEBUG"):
                raise
            click.echo(
                f"factsheet: internal error ({type(exc).__name__}: {exc}). Please report it; "
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
@_edge
def check(content: Path | None, config_file: Path | None) -> None:
    """Check the content; print every error with its file, line and column."""
    config = load_config(config_file, content)
    graph = load_graph(config.content_dir)
    counts = graph.counts()
    total = sum(counts.values())
    parts = ", ".join(f"{n} {kind if n != 1 else kind.removesuffix('s')}" for kind, n in counts.items())
    noun = "entry" if total == 1 else "entries"
    if total == 0:
        click.echo(f"{display_path(config.content_dir)}: no entries found (no YAML files in a kind folder)")
        return
    click.echo(f"{display_path(config.content_dir)}: {total} {noun} OK ({parts})")


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
@_edge
def schema(kind: str | None, out: Path | None) -> None:
    """Print the JSON Schema of the content format (for editors)."""
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name in MODELS:
            (out / f"{name}.schema.json").write_text(
                json.dumps(kind_schema(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
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
@_edge
def build_command(out: Path, content: Path | None, config_file: Path | None) -> None:
    """Write the briefing's Markdown pages to a folder (only files whose bytes changed)."""
    config = load_config(config_file, content)
    _refuse_overlap(out, config.content_dir, "the content folder")
    if config.docs_dir is not None:
        _refuse_overlap(out, config.docs_dir, "the MkDocs docs_dir")
    site = build(config)
    report = write_pages(site.pages, out)
    click.echo(
        f"{display_path(out)}: {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed ({len(site.pages)} pages)"
    )


def _refuse_overlap(out: Path, folder: Path, what: str) -> None:
    if is_within(out, folder) or is_within(folder, out):
        raise ConfigError(f"--out {out} overlaps {what} ({folder}); choose a folder outside it")
