"""GL023: URLs, e-mail addresses or file names that differ between msgid and msgstr."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.model import Finding, Severity

# ASCII only on purpose: in Chinese text an address ends where the Chinese begins
# ("請寄信至info@example.org。"), and \w would run on into the Chinese characters.
_URL = r"(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+|www\.[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+"
_MAIL = r"(?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_EXT = (r"pdf|docx?|xlsx?|pptx?|odt|ods|rtf|txt|csv|json|xml|zip|html?|png|jpe?g|gif|svg|webp|"
        r"mp3|mp4|m4a|wav|mov|avi|epub")
_FILE = rf"(?<![\w/.@-])(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(?:{_EXT})(?![A-Za-z0-9])"
_PATH = r"(?<![\w/.:])/(?:[A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]*"
_ITEM = re.compile(f"({_URL})|({_MAIL})|({_FILE})|({_PATH})", re.IGNORECASE)
_KINDS = ("URL", "e-mail address", "file name", "file path")
_TRAIL = ".,;:!?)]'\""            # sentence punctuation after an address is not part of it
# Cheap tests first: most entries have none of these.
_DOT_LETTER = re.compile(r"\.[A-Za-z]")           # "leaflet.pdf"; not "the end." nor "0.1" (most dots)
_FILE_HINT = re.compile(rf"\.(?:{_EXT})(?![A-Za-z0-9])", re.IGNORECASE)
_PATH_HINT = re.compile(r"/[A-Za-z0-9_.-]+/")


def _hint(text: str) -> bool:
    """Whether ``text`` may hold a URL, an e-mail address, a file name or a path."""
    return ("@" in text or "://" in text or "www." in text
            or ("." in text and _DOT_LETTER.search(text) is not None and _FILE_HINT.search(text) is not None)
            or ("/" in text and _PATH_HINT.search(text) is not None))


def items(text: str) -> Counter[tuple[str, str]]:
    """(kind, text) of every URL, e-mail address, file name and path in ``text``."""
    out: Counter[tuple[str, str]] = Counter()
    for m in _ITEM.finditer(text):
        i = m.lastindex or 1
        item = m.group(i).rstrip(_TRAIL)
        if i == 2 and item.lower().startswith("mailto:"):
            item = item[7:]
        if item:
            out[(_KINDS[i - 1], item)] += 1
    return out


class UrlsDiffer(EntryRule):
    """URLs, e-mail addresses or file names differ: the msgstr must have the msgid's, as written.

    Finds http(s)/ftp URLs and www. addresses, e-mail addresses, file names
    with a document, image or media extension (``leaflet.pdf``) and paths
    (``/forms/consent/``) in the text of both sides (a link's target is not
    in the text: it stays in the page), and compares them as multisets.
    Sentence punctuation after an address is not part of it. An error, as
    in pofilter's ``urls``, ``emails`` and ``filepaths`` tests: a changed
    address sends the reader somewhere else. A translation that links to
    a localized page on purpose says so with ``# l10n: ignore GL023``.
    """

    code = "GL023"
    name = "urls-differ"
    severity = Severity.ERROR
    bad = Example("Write to info@example.org for the leaflet.pdf.",
                  "索取 leaflet.pdf 請寫信至 info@exmple.org。", "en", "zh_TW")
    good = Example("Write to info@example.org for the leaflet.pdf.",
                   "索取 leaflet.pdf 請寫信至 info@example.org。", "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        src, dst = ctx.msgid_text, ctx.msgstr_text
        if not _hint(dst) and not _hint(src):
            return
        a = ctx.memo("GL023", src, items)
        b = items(dst)
        if a == b:
            return
        missing = a - b
        added = b - a
        for kind, item in sorted(missing):
            yield ctx.finding(self, f"{kind} of the msgid not in the msgstr as written: {item!r}; "
                                    f"msgid {quote(ctx.entry.msgid)}", term=item)
        for kind, item in sorted(added):
            yield ctx.finding(self, f"{kind} in the msgstr that the msgid does not have: {item!r}; "
                                    f"msgid {quote(ctx.entry.msgid)}", term=item)
