"""A small glossary for the checks' tests, built in code (no loader, no data file).

The names follow the seed pages: Protopic (普特皮) is tacrolimus, Elidel
(醫立妥) is pimecrolimus, CellCept is mycophenolate mofetil.
"""
from __future__ import annotations

from l10n.glossary.model import Concept, Glossary, Term


def _terms(**by_locale: object) -> tuple[Term, ...]:
    """en="x" or en=["x", ("y", "admitted"), ("z", "forbidden")] -> Terms."""
    out = []
    for locale, spec in by_locale.items():
        items = [spec] if isinstance(spec, (str, tuple)) else list(spec)  # type: ignore[arg-type]
        for item in items:
            text, status = (item, "preferred") if isinstance(item, str) else item
            out.append(Term(text, locale, status))
    return tuple(out)


def concept(cid: str, ctype: str, *, generic: str | None = None, strengths: tuple[str, ...] = (),
            dnt: bool = False, **terms: object) -> Concept:
    return Concept(id=cid, type=ctype, terms=_terms(**terms), generic=generic,
                   strengths=strengths, dnt=dnt)


CONCEPTS = (
    concept("tacrolimus", "generic",
            en="tacrolimus", zh_TW=["他克莫司", ("tacrolimus", "admitted")], zh_CN="他克莫司"),
    concept("protopic", "brand", generic="tacrolimus", strengths=("0.03%", "0.1%"),
            en="Protopic", zh_TW="普特皮", zh_CN=["普特彼", ("普特皮", "forbidden")]),
    concept("pimecrolimus", "generic",
            en="pimecrolimus", zh_TW=["吡美莫司", ("pimecrolimus", "admitted")], zh_CN="吡美莫司"),
    concept("elidel", "brand", generic="pimecrolimus", strengths=("1%",),
            en="Elidel", zh_TW="醫立妥", zh_CN="爱宁达"),
    concept("methotrexate", "generic", en="methotrexate", zh_TW="甲氨喋呤", zh_CN="甲氨蝶呤"),
    concept("mycophenolate-mofetil", "generic",
            en=["mycophenolate mofetil", ("MMF", "admitted")], zh_TW="黴酚酸酯", zh_CN="吗替麦考酚酯"),
    concept("cellcept", "brand", generic="mycophenolate-mofetil", strengths=("250 mg", "500 mg"),
            en="CellCept", zh_TW="山喜多", zh_CN="骁悉"),
    concept("cyclophosphamide", "generic", en="cyclophosphamide", zh_TW="環磷醯胺", zh_CN="环磷酰胺"),
    concept("cytoxan", "brand", generic="cyclophosphamide", en="Cytoxan", zh_TW="癌德星", zh_CN="安道生"),
    concept("rituximab", "generic", en="rituximab", zh_TW="莫須瘤", zh_CN="利妥昔单抗"),
    concept("scleroderma", "condition",
            en="scleroderma", zh_TW=["硬皮症", ("硬皮病", "forbidden")], zh_CN="硬皮病"),
    concept("localized-scleroderma", "condition",
            en=["localized scleroderma", ("morphea", "admitted")], zh_TW="局部硬皮症", zh_CN="局限性硬皮病"),
    concept("systemic-sclerosis", "condition",
            en="systemic sclerosis", zh_TW=["全身性硬化症", ("系统性硬化症", "forbidden")],
            zh_CN="系统性硬化症"),
    concept("immunosuppressant", "drug-class",
            en="immunosuppressant", zh_TW="免疫抑制劑", zh_CN="免疫抑制剂"),
    concept("corticosteroid", "drug-class", en="corticosteroid", zh_TW="皮質類固醇",
            zh_CN=["皮质类固醇", ("激素", "admitted")]),
    concept("calcineurin-inhibitor", "drug-class",
            en="calcineurin inhibitor", zh_TW="鈣調磷酸酶抑制劑", zh_CN="钙调磷酸酶抑制剂"),
    concept("therapy", "term", en="therapy", zh_TW="療法", zh_CN="疗法"),
    concept("b-cell", "anatomy", en="B cell", zh_TW="B細胞", zh_CN="B细胞"),
    concept("collagen", "anatomy", en="collagen", zh_TW="膠原蛋白", zh_CN="胶原蛋白"),
    concept("dermatology", "department", en="Dermatology", zh_TW="皮膚科", zh_CN="皮肤科"),
    concept("scleroderma-news", "publication", dnt=True,
            en="Scleroderma News", zh_TW="Scleroderma News", zh_CN="Scleroderma News"),
)


def make_glossary(*extra: Concept) -> Glossary:
    """The fixture glossary, optionally with more concepts."""
    return Glossary(CONCEPTS + tuple(extra), path="tests/glossary_fixture.py")


def synthetic_glossary(n: int = 10_000) -> Glossary:
    """``n`` generated concepts (for speed tests) plus the fixture concepts."""
    syllables = ["ta", "cro", "li", "mus", "pi", "me", "ne", "xo", "vir", "zol", "fen", "dra", "ko"]
    hanzi = "他克莫司吡美普特皮醫立妥甲氨喋呤黴酚酸酯環磷醯胺硬化症療法細胞膠原蛋白抗胸腺球維生素卡泊三醇"
    concepts = []
    for i in range(n):
        a, b, c = syllables[i % 13], syllables[(i // 13) % 13], syllables[(i // 169) % 13]
        en = f"{a}{b}{c}{i}"
        k = len(hanzi)
        zh = hanzi[i % k] + hanzi[(i // k) % k] + hanzi[(i // (k * k)) % k] + str(i)
        concepts.append(concept(f"syn{i}", "generic" if i % 3 else "term", en=en, zh_TW=zh, zh_CN=zh))
    return Glossary(tuple(concepts) + CONCEPTS)
