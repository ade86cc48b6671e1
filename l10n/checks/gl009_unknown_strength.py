"""GL009: a drug on a source page is given a strength no marketed form of it has."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Iterator

from l10n.checks.base import Example, SegmentContext, SegmentRule, drug_label, quote
from l10n.glossary.model import Concept, Glossary
from l10n.model import Finding, Severity

_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "％": "%"})
# A strength right after the drug name: "Protopic 0.1%", "普特皮0.1%", "CellCept (500 mg)".
_STRENGTH_AFTER = re.compile(
    r"[\s(（:：]{0,3}(\d+(?:\.\d+)?)\s?(%|mg|毫克|mcg|微克|g|公克|克|ml|mL|毫升)(?![A-Za-z])"
)
# A mass or volume is a product's strength only when a dosage form follows it ("500 mg
# tablets", "CellCept 500 mg film-coated tablets", "250毫克膠囊"), or when it closes a
# parenthesis right after the name ("CellCept (500 mg)"). Otherwise it is a dose
# ("methotrexate 20 mg weekly"), which no marketed strength has to match.
_FORM_AFTER = re.compile(
    r"\s?(?:[A-Za-z-]{2,15}\s)?(?i:tablets?|tabs?|capsules?|caps|ointment|cream|gel|lotion|solution|suspension|"
    r"injection|injectable|vials?|syrup|patch(?:es)?|suppository|suppositories|powder|sachets?)(?![A-Za-z])"
    r"|[\s)）]?(?:膜衣|腸溶|肠溶)?(?:錠|锭|片|顆|颗|粒|膠囊|胶囊|軟膏|软膏|乳膏|藥膏|药膏|凝膠|凝胶|注射液|注射劑|注射剂|針劑|针剂|"
    r"糖漿|糖浆|口服液|貼片|贴片|栓劑|栓剂)"
)
_PAREN_CLOSE = re.compile(r"\s?[)）]")

# unit -> (canonical unit, factor): masses compare in mg, so 1 g == 1000 mg.
_UNIT = {"%": ("%", 1), "mg": ("mg", 1), "毫克": ("mg", 1), "mcg": ("mg", Decimal("0.001")),
         "微克": ("mg", Decimal("0.001")), "g": ("mg", 1000), "公克": ("mg", 1000), "克": ("mg", 1000),
         "ml": ("mL", 1), "毫升": ("mL", 1)}


def _is_product_strength(norm: str, sm: re.Match) -> bool:
    """An amount written as a product's strength: a dosage form after it, or "(500 mg)"."""
    if _FORM_AFTER.match(norm, sm.end()):
        return True
    opened = "(" in sm.group(0) or "（" in sm.group(0)
    return opened and _PAREN_CLOSE.match(norm, sm.end()) is not None


def parse_strength(text: str) -> tuple[Decimal, str] | None:
    """"0.1%" -> (Decimal("0.1"), "%"); "1 g" -> (Decimal("1000"), "mg"); "5 mg/mL" -> None."""
    m = _STRENGTH_AFTER.fullmatch(text.strip().translate(_FULLWIDTH))
    if not m:
        return None
    try:
        unit, factor = _UNIT[m.group(2).lower()]
        return Decimal(m.group(1)) * factor, unit
    except (InvalidOperation, KeyError):
        return None


def marketed_strengths(glossary: Glossary, concept: Concept) -> set[tuple[Decimal, str]]:
    """The strengths a drug is sold in: a brand's own, else those of its generic and all its brands."""
    own = {s for s in (parse_strength(x) for x in concept.strengths) if s}
    if concept.type == "brand" and own:
        return own
    ident = glossary.drug_of(concept)
    out = set(own)
    for c in glossary.concepts:
        if c.is_drug and glossary.drug_of(c) == ident:
            out.update(s for s in (parse_strength(x) for x in c.strengths) if s)
    return out


class UnknownStrength(SegmentRule):
    """Unknown strength: a drug name is followed by a strength that none of its marketed forms has.

    Only a strength written as a product's is checked: "<drug> 0.1%" (a
    concentration), "<drug> 500 mg tablets" / "250毫克膠囊" (an amount followed by a
    dosage form) or "<drug> (500 mg)". An amount without a dosage form is a dose
    ("methotrexate 20 mg weekly", "CellCept 1,000 mg twice a day"), not a strength, and
    is never compared. The strength is compared with the strengths the glossary records. For a
    brand that lists its own strengths, those; otherwise the strengths of the
    generic and of every brand of it. Pimecrolimus (Elidel) is sold as 1%
    only, so "Pimecrolimus 0.1%" names a product that does not exist (0.1% is
    Protopic, i.e. tacrolimus). The check is skipped when the glossary lists
    no strength of that drug in the same unit.
    """

    code = "GL009"
    name = "unknown-strength"
    severity = Severity.ERROR
    bad = Example("The doctor prescribed me Pimecrolimus 0.1%.", source="en")
    good = Example("The doctor prescribed me Protopic 0.1%.", source="en")

    def check_segment(self, ctx: SegmentContext) -> Iterator[Finding]:
        text = ctx.text
        g = ctx.glossary
        if not any(c.isdigit() for c in text):
            return
        norm = text.translate(_FULLWIDTH)   # same length as text
        for m in ctx.matches:
            concept = next((c for c in map(g.get, m.named_ids) if c is not None and c.is_drug), None)
            if concept is None:
                continue
            sm = _STRENGTH_AFTER.match(norm, m.end)
            if not sm:
                continue
            if sm.group(2) != "%" and not _is_product_strength(norm, sm):
                continue            # a dose, not a strength
            written = parse_strength(sm.group(0))
            known = marketed_strengths(g, concept)
            if written is None or not known:
                continue
            same_unit = sorted((v, u) for v, u in known if u == written[1])
            if not same_unit or any(v == written[0] for v, _ in same_unit):
                continue
            sold = ", ".join(f"{v.normalize():f}{'' if u == '%' else ' '}{u}" for v, u in same_unit)
            shown = text[m.start:sm.end()]
            yield ctx.finding(
                self,
                f"unknown strength: \"{shown}\": {drug_label(g, concept)} is marketed as {sold} only; "
                f"text {quote(ctx.segment.msgid)}",
                term=shown, concept=m.concept_id,
            )
