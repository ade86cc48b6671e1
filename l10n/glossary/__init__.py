"""The medical glossary: model, file formats (TOML, TBX, CSV) and zh_TW <-> zh_CN conversion."""
from __future__ import annotations

from typing import TYPE_CHECKING

from l10n.glossary.interchange import CSV_FIELDS, read_csv, read_tbx, write_csv, write_tbx
from l10n.glossary.io import STRENGTH_RE, dump_glossary, load_glossary, parse_glossary
from l10n.glossary.model import CONCEPT_TYPES, LOCALES, STATUSES, Concept, Glossary, Term

if TYPE_CHECKING:
    from l10n.glossary.convert import OPENCC_CONFIGS, convert_zh

__all__ = [
    "CONCEPT_TYPES", "LOCALES", "STATUSES", "Term", "Concept", "Glossary",
    "CSV_FIELDS", "STRENGTH_RE", "load_glossary", "parse_glossary", "dump_glossary",
    "read_tbx", "write_tbx", "read_csv", "write_csv",
    "OPENCC_CONFIGS", "convert_zh",
]


def __getattr__(name: str) -> object:
    # convert_zh loads OpenCC's C library; import it only when it is used.
    if name in ("convert_zh", "OPENCC_CONFIGS"):
        from l10n.glossary import convert
        return getattr(convert, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
