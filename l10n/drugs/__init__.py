"""Drugs beyond the glossary: the drug lexicon and glossary stubs for the drugs it finds.

* :mod:`l10n.drugs.lexicon`: every drug name written in English (drug-named-entity-recognition),
  cached by content, scanned word by word;
* :mod:`l10n.drugs.suggest`: stub glossary concepts for drugs the glossary does not have.
"""
from __future__ import annotations

from l10n.drugs.lexicon import DrugHit, Lexicon, LexiconError, get_lexicon, load_lexicon, name_key

__all__ = ["DrugHit", "Lexicon", "LexiconError", "get_lexicon", "load_lexicon", "name_key"]
