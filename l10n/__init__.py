"""l10n: localize medical Q&A pages between English and Chinese with gettext catalogs."""
from __future__ import annotations

__version__ = "0.1.0"
