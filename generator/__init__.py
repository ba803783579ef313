"""factsheet: curated YAML facts to cross-linked briefing pages, a MkDocs site and PDF briefs."""

__version__ = "0.1.0"
