"""Data shipped with the package: the starter medical glossary (a copy of the project's
``locales/glossary.toml``; tests/test_init.py holds the two identical)."""
from __future__ import annotations

from pathlib import Path

__all__ = ["default_glossary_path"]


def default_glossary_path() -> Path:
    """The packaged starter glossary, for a project that configures none."""
    return Path(__file__).with_name("glossary.toml")
