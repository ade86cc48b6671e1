"""Errors a user can act on. Each carries the file (and line) it is about.

The CLI turns any :class:`L10nError` into one line on stderr and exit code 2.
"""
from __future__ import annotations

from pathlib import Path

__all__ = [
    "L10nError", "PageError", "CatalogError", "GlossaryError", "ConfigError",
    "PathError", "LockError", "MemoryFileError", "TemplateError",
]


class L10nError(Exception):
    """Bad input: names the file and, where there is one, the line."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return f"{where}{self.message}"


class PageError(L10nError):
    """A source page that cannot be read or is not HTML."""


class CatalogError(L10nError):
    """A .po/.pot/.mo file that cannot be read."""


class GlossaryError(L10nError):
    """A glossary file that is malformed or inconsistent."""


class ConfigError(L10nError):
    """A bad [tool.l10n] setting, a missing folder or an unknown locale."""


class PathError(L10nError):
    """A path that would read or write outside the project's folders."""


class LockError(L10nError):
    """Another l10n run holds the project's lock."""


class MemoryFileError(L10nError):
    """A translation-memory file (TMX) or store that cannot be read."""


class TemplateError(L10nError):
    """A site or report template (shipped or the project's override) that does not parse or fails."""
