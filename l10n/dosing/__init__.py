"""What a dosing instruction means, compared across English and Chinese.

``parse(text, locale)`` reads a text into a :class:`DosingRecord` (drugs, doses, how
often, how long, which route, prohibitions); the checks GL013-GL017 compare the
records of a msgid and its msgstr. The vocabulary is data: ``l10n/dosing/vocab/*.toml``
(see docs/dosing-checks.md)::

    from l10n.dosing import parse
    parse("Take 20 mg once a week.", "en").frequencies[0].label   # 'once a week'
"""
from __future__ import annotations

from l10n.dosing.parse import maybe_dosing, parse
from l10n.dosing.record import Cue, Dose, DosingRecord, Duration, Frequency, Route, rate_label, routes_compatible
from l10n.dosing.vocab import Vocabulary, VocabularyError, vocabulary

__all__ = ["parse", "maybe_dosing", "DosingRecord", "Dose", "Frequency", "Duration", "Route", "Cue",
           "rate_label", "routes_compatible", "Vocabulary", "VocabularyError", "vocabulary"]
