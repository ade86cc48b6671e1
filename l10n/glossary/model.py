"""The glossary's data model: concepts with per-locale terms. No I/O here.

A concept is one thing in the world (a drug's generic name, a brand, a
condition, a department, a site name). Each locale has terms with a status:
``preferred`` (exactly one per locale the concept covers), ``admitted``
(accepted alternatives) and ``forbidden`` (wrong, deprecated, or the other
region's term). A brand links to its generic with ``generic``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["STATUSES", "CONCEPT_TYPES", "LOCALES", "Term", "Concept", "Glossary"]

STATUSES = ("preferred", "admitted", "forbidden")
CONCEPT_TYPES = (
    "generic",      # a drug's generic (INN) name: tacrolimus
    "brand",        # a drug's brand: Protopic -> generic tacrolimus
    "drug-class",   # calcineurin inhibitor, immunosuppressant, corticosteroid
    "condition",    # localized scleroderma, systemic sclerosis
    "procedure",    # autologous fat grafting, cryotherapy
    "anatomy",      # collagen, B cells, T cells
    "department",   # Dermatology, Rare Disease, Plastic Surgery
    "organization", # Kaohsiung Veterans General Hospital
    "publication",  # Scleroderma News, Annals of the Rheumatic Diseases
    "term",         # any other medical term
)
LOCALES = ("en", "zh_TW", "zh_CN")
DRUG_TYPES = ("generic", "brand")


@dataclass(frozen=True)
class Term:
    text: str
    locale: str
    status: str = "preferred"   # one of STATUSES
    note: str = ""


@dataclass(frozen=True)
class Concept:
    id: str
    type: str                           # one of CONCEPT_TYPES
    terms: tuple[Term, ...]
    generic: str | None = None          # for brands: the id of the generic concept
    strengths: tuple[str, ...] = ()     # marketed strengths, e.g. ("0.03%", "0.1%")
    source: str = ""                    # where the names were verified
    note: str = ""
    dnt: bool = False                   # do-not-translate: the same text in every locale
    line: int = field(default=0, compare=False)  # line of the concept in the glossary file

    @property
    def is_drug(self) -> bool:
        return self.type in DRUG_TYPES

    def terms_for(self, locale: str, *statuses: str) -> tuple[Term, ...]:
        """Terms of ``locale`` with one of ``statuses`` (all statuses if none given)."""
        return tuple(t for t in self.terms if t.locale == locale and (not statuses or t.status in statuses))

    def preferred(self, locale: str) -> str | None:
        for t in self.terms:
            if t.locale == locale and t.status == "preferred":
                return t.text
        return None

    def approved(self, locale: str) -> tuple[str, ...]:
        """Preferred and admitted terms of ``locale``."""
        return tuple(t.text for t in self.terms_for(locale, "preferred", "admitted"))


@dataclass(frozen=True)
class Glossary:
    concepts: tuple[Concept, ...]
    path: str = ""
    by_id: dict[str, Concept] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.by_id:
            object.__setattr__(self, "by_id", {c.id: c for c in self.concepts})

    def get(self, concept_id: str) -> Concept | None:
        return self.by_id.get(concept_id)

    def drug_of(self, concept: Concept) -> str:
        """The generic id a drug concept stands for (a brand's generic, or itself)."""
        return (concept.generic or concept.id) if concept.type == "brand" else concept.id
