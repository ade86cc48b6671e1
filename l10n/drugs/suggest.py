"""Stub glossary concepts for the drugs GL018 finds (``l10n glossary suggest``).

Each drug named in English on a page or in a msgid that the glossary has no
concept for becomes a stub in the glossary's own TOML layout: a ``generic``
concept for the ingredient (its English name from the drug lexicon) and, when
the text named it by a brand, a ``brand`` concept pointing to it. The stubs
load as a glossary as they are (English only); a terminologist adds the
zh_TW and zh_CN names and a source before pasting them into the glossary::

    text = suggest_text(findings, glossary)      # findings of GL018
"""
from __future__ import annotations

import re
from typing import Iterable

from l10n.glossary.io import concept_toml
from l10n.glossary.model import Concept, Glossary, Term
from l10n.model import Finding

__all__ = ["stub_concepts", "suggest_text", "concept_id"]

_NOT_ID = re.compile(r"[^a-z0-9]+")
TODO = "TODO: add zh_TW and zh_CN names and a source (where the names were verified)"


def concept_id(name: str) -> str:
    """A glossary id for a drug name: lower-case letters, digits and '-', starting with a letter."""
    cid = _NOT_ID.sub("-", name.lower()).strip("-")
    if not cid or not cid[0].isalpha():
        cid = "drug-" + cid
    return cid


def _free(cid: str, taken: set[str]) -> str:
    out, n = cid, 2
    while out in taken:
        out, n = f"{cid}-{n}", n + 1
    taken.add(out)
    return out


def _is_brand(term: str, drug: str) -> bool:
    """A name written capitalised that is not the ingredient's name: a brand ("Plaquenil")."""
    return term[:1].isupper() and term.lower() != drug.lower() and not term.isupper()


def stub_concepts(findings: Iterable[Finding], glossary: Glossary) -> list[Concept]:
    """Stub concepts for the drugs of GL018 findings: one generic per ingredient, one brand per brand name.

    Sorted generic first, then by id; ids never collide with the glossary's.
    """
    taken = set(glossary.by_id)
    generics: dict[str, Concept] = {}
    brands: dict[str, Concept] = {}
    for f in findings:
        if f.code != "GL018":
            continue
        extra = dict(f.extra)
        drug = extra.get("drug") or f.term
        where = f"{f.path}:{f.line}"
        g = generics.get(drug)
        if g is None:
            g = generics[drug] = Concept(
                id=_free(concept_id(drug), taken), type="generic", terms=(Term(drug, "en"),),
                note=f"{TODO}. Stub from `l10n glossary suggest`: first named at {where}.")
        for name in (extra.get("names") or f.term).split("|"):
            if _is_brand(name, drug) and name.lower() not in brands:
                brands[name.lower()] = Concept(
                    id=_free(concept_id(name), taken), type="brand", generic=g.id, terms=(Term(name, "en"),),
                    note=f"{TODO}. Stub from `l10n glossary suggest`: a brand of {drug}, first named at {where}.")
    return sorted(generics.values(), key=lambda c: c.id) + sorted(brands.values(), key=lambda c: c.id)


def suggest_text(findings: Iterable[Finding], glossary: Glossary) -> str:
    """The stubs as TOML to paste into the glossary, with a header comment; "" if there are none."""
    stubs = stub_concepts(findings, glossary)
    if not stubs:
        return ""
    head = (f"# {len(stubs)} stub concept(s) from `l10n glossary suggest` for drugs the glossary lacks (GL018).\n"
            "# Complete each with its zh_TW and zh_CN names and a source, then add it to the glossary.\n")
    return head + "".join(concept_toml(c) for c in stubs)
