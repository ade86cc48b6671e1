"""Every page is checked before anything is written, and every bad page is reported.

A run over a project parses its pages on all cores; a page that is not good HTML
(undecodable bytes, no ``<html lang>``, a language the project does not know, a
control character…) does not stop the others. :func:`raise_page_errors` then
raises one :class:`PagesError` naming every bad page, one ``file:line: message``
each (the CLI prints one line per page and exits 2), before the run writes a
file: what the workers prepared for good pages is staged (a complete temporary
file, :func:`l10n.fsutil.atomic_write` with ``stage=True``) and only
:func:`commit_staged` puts it in place.
"""
from __future__ import annotations

import os
from typing import Any, Iterable, Sequence

from .errors import PageError

__all__ = ["PagesError", "raise_page_errors", "commit_staged", "discard_staged"]


class PagesError(PageError):
    """One or more pages refused; ``errors`` has one :class:`PageError` per page, in page order."""

    def __init__(self, errors: Sequence[PageError], staged: Sequence[Any] = ()):
        self.errors = tuple(errors)
        self.staged = tuple(staged)      # what good pages had prepared (discarded by the caller)
        first = self.errors[0]
        super().__init__(first.message, first.path, first.line)

    def lines(self) -> list[str]:
        """One ``file:line: message`` per bad page."""
        return [str(e) for e in self.errors]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def raise_page_errors(errors: Iterable[PageError | None], staged: Iterable[Any] = ()) -> None:
    """Raise one :class:`PagesError` for every page error in ``errors`` (None: a good page);
    nothing when there is none. ``staged`` travels with the error for the caller to discard."""
    bad = [e for e in errors if e is not None]
    if bad:
        raise PagesError(bad, tuple(staged))


def commit_staged(staged: Iterable[Any]) -> None:
    """Move each staged ``(temporary file, final path)`` into place."""
    for s in staged:
        if isinstance(s, tuple):
            os.replace(s[0], s[1])


def discard_staged(staged: Iterable[Any]) -> None:
    """Remove each staged temporary file (a run that refused a page writes nothing)."""
    for s in staged:
        if isinstance(s, tuple):
            try:
                os.unlink(s[0])
            except FileNotFoundError:
                pass
