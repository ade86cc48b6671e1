"""Deterministic benchmark corpus for l10n.

Three kinds of input, all from one seed:

* a **site project**: ``pyproject.toml`` with ``[tool.l10n]``, N Q&A pages under
  ``source_pages/qa/<department>/`` shaped like the shipped pages (same header,
  breadcrumbs, share links, question, answer, more-info with headings and
  lists, similar questions, tags, footer; about 8 KB each), half written in
  English and half in Traditional Chinese, a template per page and a fully
  translated catalog for every target locale, and a glossary of M concepts
  that includes the real ``locales/glossary.toml``;
* a **big catalog** of E entries (source en, target zh_TW) and a template in
  which K msgids were edited (for update, compile and check);
* a **glossary** of M concepts on its own (the check's term list).

The text is composed from parallel sentence templates (English and
Traditional Chinese written here, Simplified Chinese derived with OpenCC)
filled with the real glossary's drug, condition, department and anatomy
names, so a page reads like the shipped ones and every unit has a real
translation. The catalogs of the site use the units l10n's walker finds on
each page (``l10n.html.walker.parse_page``), so every msgid matches.

    python benchmarks/corpus.py site  OUT --pages 1000 --terms 10000 --seed 1
    python benchmarks/corpus.py big   OUT --entries 20000 --edited 2000 --seed 1
    python benchmarks/corpus.py glossary OUT.toml --terms 10000 --seed 1

Same arguments, same bytes.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

REAL_GLOSSARY = REPO / "locales" / "glossary.toml"
REAL_CSS = REPO / "source_pages" / "assets" / "site.css"
LOCALES = ("en", "zh_TW", "zh_CN")
TARGETS = {"en": ("zh_TW", "zh_CN"), "zh_TW": ("en", "zh_CN")}
HTML_LANG = {"en": "en", "zh_TW": "zh-Hant-TW"}
PLURAL = {"en": "nplurals=2; plural=(n != 1);", "zh_TW": "nplurals=1; plural=0;",
          "zh_CN": "nplurals=1; plural=0;"}
TEAM = {"en": "English <LL@li.org>", "zh_TW": "中文 (繁體, 台灣) <LL@li.org>",
        "zh_CN": "中文 (简体, 中国) <LL@li.org>"}


# -- Simplified Chinese --------------------------------------------------------------

@lru_cache(maxsize=None)
def _no_terms():
    from l10n.glossary.model import Glossary
    return Glossary(())


def to_cn(text: str) -> str:
    """OpenCC tw2sp as ``l10n convert`` applies it: the medical words its computing phrase
    tables would change (停用 -> 禁用) are kept (``l10n/data/opencc_keep.toml``)."""
    from l10n.glossary.convert import convert_zh
    return convert_zh(text, _no_terms())


# -- vocabulary ------------------------------------------------------------------------

@dataclass(frozen=True)
class W:
    """One word or phrase in the three locales."""
    en: str
    zh_TW: str
    zh_CN: str

    def get(self, loc: str) -> str:
        return getattr(self, loc)


def _w(en: str, tw: str, cn: str | None = None) -> W:
    return W(en, tw, cn if cn is not None else to_cn(tw))


@lru_cache(maxsize=None)
def vocabulary() -> dict[str, list[W]]:
    """Fillers by kind; drug, condition, department... names come from the real glossary."""
    from l10n.glossary import load_glossary
    g = load_glossary(REAL_GLOSSARY)
    by: dict[str, list[W]] = {}
    for c in g.concepts:
        en, tw, cn = c.preferred("en"), c.preferred("zh_TW"), c.preferred("zh_CN")
        if not (en and tw and cn):
            continue
        if c.type == "brand":
            by.setdefault("brand", []).append(W(en, tw, cn))
            by.setdefault("strength_of:" + en, []).extend(W(s, s, s) for s in c.strengths)
        elif c.type in ("generic", "drug-class", "condition", "procedure", "anatomy", "department",
                        "organization", "term"):
            en_text = en if c.type in ("department", "organization") else en
            by.setdefault(c.type, []).append(W(en_text, tw, cn))
    by["part"] = [_w(*p) for p in (("back", "背部"), ("face", "臉部", "脸部"), ("arm", "手臂"),
                                      ("lower leg", "小腿"), ("hands", "雙手"), ("neck", "頸部"),
                                      ("chest", "胸口"), ("forehead", "額頭"), ("scalp", "頭皮"),
                                      ("abdomen", "腹部"), ("thigh", "大腿"), ("fingers", "手指"))]
    by["relative"] = [_w(*p) for p in (("mother", "母親"), ("father", "父親"), ("older sister", "姊姊", "姐姐"),
                                          ("son", "兒子"), ("daughter", "女兒"), ("grandmother", "奶奶"),
                                          ("husband", "先生", "丈夫"), ("wife", "太太"))]
    by["study"] = [_w("clinical trial", "臨床試驗"), _w("observational study", "觀察性研究")]
    by["surname"] = [_w(*p) for p in (("Wang", "王"), ("Li", "李"), ("Chang", "張", "张"), ("Chen", "陳"),
                                         ("Lin", "林"), ("Huang", "黃"), ("Wu", "吳"), ("Liu", "劉"),
                                         ("Tsai", "蔡"), ("Yang", "楊"), ("Hsu", "許"), ("Cheng", "鄭"),
                                         ("Hsieh", "謝"), ("Kuo", "郭"), ("Hung", "洪"), ("Lu", "呂"))]
    by["given"] = [_w(*p) for p in (("Yu-hsin", "宇欣"), ("Jui-yun", "瑞雲"), ("Kun-te", "焜德"),
                                       ("Tao-kuan", "道寬"), ("Che-en", "哲恩"), ("Mei-ling", "美玲"),
                                       ("Chih-wei", "志偉"), ("Shu-fen", "淑芬"), ("Chia-hao", "家豪"),
                                       ("Ya-ting", "雅婷"), ("Tsung-han", "宗翰"), ("Pei-chun", "佩君"))]
    by["unit"] = [_w("weeks", "週", "周"), _w("months", "個月", "个月"), _w("years", "年")]
    return by


# Sentences: (English, Traditional Chinese). Slots: {cond} {generic} {generic2} {brand}
# {strength} {cls} {anat} {part} {relative} {dur} {dur2} {n} {p} {study} {proc} {dept}
# {org} {term} {term2}.
QUESTION = [
    ("I have had {cond} on my {part} for about {dur}, and my doctor prescribed {brand} {strength}.",
     "我的{part}出現{cond}已經大約{dur}了，醫師開了{brand}{strength}給我使用。"),
    ("Will this medicine help control my condition, and which side effects should I watch for?",
     "請問這個藥物對控制病情有幫助嗎？需要注意哪些副作用？"),
    ("If the treatment does not work, should I consider a {cls}?",
     "如果治療效果不好，是否需要考慮使用{cls}？"),
    ("My {relative} was diagnosed with {cond} {dur} ago and now takes {generic} every day.",
     "我的{relative}在{dur}前被診斷為{cond}，現在每天服用{generic}。"),
    ("Is it safe to use {brand} on the {part} for a long time?",
     "{part}長期使用{brand}安全嗎？"),
    ("Recently the skin on my {part} has become red and itchy, and it feels harder than before.",
     "最近{part}的皮膚變得又紅又癢，摸起來也比以前硬。"),
    ("Can {cond} spread to other parts of the body?",
     "{cond}會擴散到身體其他部位嗎？"),
    ("I read about {term} online and I am a little worried.",
     "我在網路上看到{term}的相關資訊，因此有些擔心。"),
    ("Should I stop {generic} before {proc}?",
     "接受{proc}之前需要先停用{generic}嗎？"),
    ("How often should I come back for follow-up visits?",
     "請問多久需要回診追蹤一次？"),
    ("The spots on my {part} have grown over the last {dur}; is that normal?",
     "過去{dur}{part}的病灶越來越大，這樣正常嗎？"),
    ("I have been using {brand} twice a day for {dur}, but I see little change.",
     "我每天使用兩次{brand}，已經{dur}了，但看不太出改善。"),
]
ANSWER = [
    ("{cond} is a condition in which the skin and the tissue beneath it become thick and hard.",
     "{cond}是一種皮膚及皮下組織變硬、增厚的疾病。"),
    ("{generic} is a {cls} that reduces inflammation by damping the local {anat}.",
     "{generic}是一種{cls}，藉由抑制局部的{anat}來減少發炎。"),
    ("Common side effects include burning, itching or redness where it is applied.",
     "常見的副作用包括塗抹部位的灼熱感、搔癢或發紅。"),
    ("These effects usually fade after {dur} of regular use.",
     "這些反應通常在規則使用{dur}後會逐漸減輕。"),
    ("In a {study} of {n} patients, about {p} percent improved within {dur}.",
     "在一項納入{n}名病人的{study}中，約有{p}%的病人在{dur}內獲得改善。"),
    ("If the disease keeps progressing, your doctor may add {generic} or {generic2}.",
     "如果病情持續進展，醫師可能會加上{generic}或{generic2}。"),
    ("Follow-up visits every {dur} help your doctor adjust the dose.",
     "每{dur}定期回診，有助於醫師調整劑量。"),
    ("Please tell your doctor at once if you notice signs of {term}.",
     "如果出現{term}的徵兆，請立即告知醫師。"),
    ("{proc} may be considered once the lesions have been stable for {dur}.",
     "病灶穩定{dur}之後，可以考慮{proc}。"),
    ("The {dept} team at {org} sees many patients with {cond} every year.",
     "{org}的{dept}每年診治許多{cond}病人。"),
    ("Sun protection and a good moisturizer can make the skin more comfortable.",
     "做好防曬並使用保濕產品，可以讓皮膚比較舒服。"),
    ("Do not change the dose of {brand} on your own.",
     "請勿自行調整{brand}的劑量。"),
    ("Blood tests every {dur} are recommended while you take {generic}.",
     "服用{generic}期間，建議每{dur}抽血檢查一次。"),
    ("Most patients tolerate {generic} well, but {term} can occur.",
     "大多數病人對{generic}的耐受性良好，但仍可能發生{term}。"),
    ("Early treatment gives the best chance of preventing {term2}.",
     "及早治療最有機會預防{term2}。"),
    ("The severity of {cond} differs from person to person, and deeper layers such as muscle can be involved.",
     "{cond}的嚴重程度因人而異，也可能影響肌肉等較深層的構造。"),
    ("Compared with systemic treatment, a topical medicine such as {brand} is safer for mild disease.",
     "與全身性治療相比，{brand}這類外用藥物對輕微的病情較為安全。"),
    ("Your doctor will weigh the benefit of {generic} against the risk of {term}.",
     "醫師會權衡{generic}的好處與{term}的風險。"),
    ("It may take {dur} before the skin becomes noticeably softer.",
     "皮膚可能需要{dur}才會明顯變軟。"),
    ("Keep a photo record of the {part} so that changes are easier to compare at each visit.",
     "為{part}定期拍照記錄，回診時比較容易比對變化。"),
]
HEADING = [
    ("Treatment options", "治療選擇"), ("Side effects", "副作用"), ("Follow-up visits", "追蹤與回診"),
    ("When to see a doctor", "何時就醫"), ("Conclusion", "結論"), ("How {generic} works", "{generic}的作用方式"),
    ("Living with {cond}", "與{cond}共處"), ("About {brand}", "關於{brand}"),
    ("Considering a {cls}", "考慮使用{cls}"), ("What the studies show", "研究結果"),
]
TITLE = [
    ("{cond}: treatment options and side effects", "{cond}：治療選擇與副作用"),
    ("Can {brand} treat {cond} on the {part}?", "{part}的{cond}可以用{brand}治療嗎？"),
    ("{cond} and {generic}: what to expect", "{cond}與{generic}：治療前須知"),
    ("Questions about treating {cond}", "{cond}的治療疑問"),
    ("Is {generic} safe for my {relative}?", "我的{relative}適合使用{generic}嗎？"),
    ("{cond} on the {part} after {dur}", "{part}出現{cond}已{dur}"),
]
ITEM = [
    ("Skin irritation:", "皮膚刺激：", "Burning, itching or redness may appear where it is applied, and it usually eases after a few days.",
     "塗抹部位可能出現灼熱感、搔癢或發紅，通常持續使用幾天後會逐漸減輕。"),
    ("Higher risk of infection:", "感染風險增加：", "Because the medicine damps the local {anat}, skin infections may become a little more likely.",
     "由於藥物會抑制局部的{anat}，皮膚感染的風險可能略為增加。"),
    ("Long-term concerns:", "長期使用的疑慮：", "There has been discussion of {term} with long-term use, but the risk is considered low.",
     "過去曾有關於長期使用可能增加{term}風險的討論，但這項風險被認為很低。"),
    ("Stomach upset:", "腸胃不適：", "Nausea or diarrhea can occur during the first {dur} of {generic}.",
     "使用{generic}的前{dur}可能出現噁心或腹瀉。"),
    ("Low blood counts:", "血球數下降：", "Blood tests every {dur} help detect this early.",
     "每{dur}抽血檢查有助於及早發現。"),
    ("Hair thinning:", "頭髮變稀疏：", "Some people notice thinner hair after {dur}; it usually grows back.",
     "有些人在{dur}後發現頭髮變稀疏，通常會再長回來。"),
]
CHROME = {
    "site": ("Medical Q&A", "醫療問答"), "menu": ("Main menu", "主選單"),
    "crumbs": ("Breadcrumb", "導覽路徑"), "home": ("Medical Q&A", "醫療問答"),
    "share": ("Share on", "分享到"), "details": ("More information", "詳細資訊"),
    "similar": ("Similar questions", "類似問題"), "related": ("Related questions", "相關問答"),
    "more": ("Read more", "看更多"), "asked": ("asked on", "提問日期："), "replied": ("Replied on", "回覆日期："),
    "disclaimer": ("Answers on this site are for reference only and cannot replace a face-to-face "
                   "diagnosis; if you feel unwell, please see a doctor.",
                   "本站問答內容僅供參考，無法取代醫師面對面的診斷與治療；如有身體不適，請儘速就醫。"),
    "copyright": ("© 2023 Medical Q&A", "© 2023 醫療問答"),
}
DEPTS = ("dermatology", "rheumatology", "rare-disease", "plastic-surgery")


class Text:
    """Draws filled sentences in all three locales from one random generator."""

    def __init__(self, rng: random.Random, extra_terms: list[W] | None = None):
        self.rng = rng
        self.v = vocabulary()
        self.extra_terms = extra_terms or []

    def pick(self, kind: str) -> W:
        return self.rng.choice(self.v[kind])

    def _fillers(self) -> dict[str, W]:
        r = self.rng
        brand = self.pick("brand")
        strengths = self.v.get("strength_of:" + brand.en) or [W("", "", "")]
        g1, g2 = r.sample(self.v["generic"], 2)
        n, u = r.randint(2, 12), self.pick("unit")
        n2, u2 = r.randint(2, 12), self.pick("unit")
        terms = self.v["term"] + self.v["condition"]
        if self.extra_terms and r.random() < 0.3:
            term = r.choice(self.extra_terms)
        else:
            term = r.choice(terms)
        num = str(r.randint(20, 900))
        pct = str(r.randint(10, 90))
        return {
            "cond": self.pick("condition"), "generic": g1, "generic2": g2, "brand": brand,
            "strength": r.choice(strengths), "cls": self.pick("drug-class"), "anat": self.pick("anatomy"),
            "part": self.pick("part"), "relative": self.pick("relative"),
            "dur": W(f"{n} {u.en}", f"{n}{u.zh_TW}", f"{n}{u.zh_CN}"),
            "dur2": W(f"{n2} {u2.en}", f"{n2}{u2.zh_TW}", f"{n2}{u2.zh_CN}"),
            "n": W(num, num, num), "p": W(pct, pct, pct), "study": self.pick("study"),
            "proc": self.pick("procedure"), "dept": self.pick("department"),
            "org": self.pick("organization"), "term": term, "term2": r.choice(terms),
        }

    def fill(self, tpl: tuple[str, str], fillers: dict[str, W] | None = None) -> W:
        f = fillers or self._fillers()
        en, tw = tpl
        out_en = _sub(en, f, "en")
        out_en = out_en[:1].upper() + out_en[1:]
        out_en = re.sub(r"\s+", " ", out_en).replace(" .", ".").replace(" ,", ",")
        out_en = re.sub(r"\b([Aa]) (?=[aeiouAEIOU])", r"\1n ", out_en)
        return W(out_en, _sub(tw, f, "zh_TW"), _sub(_cn_template(tw), f, "zh_CN"))

    def sentences(self, bank, k: int) -> W:
        parts = [self.fill(self.rng.choice(bank)) for _ in range(k)]
        return W(" ".join(p.en for p in parts), "".join(p.zh_TW for p in parts),
                 "".join(p.zh_CN for p in parts))


@lru_cache(maxsize=None)
def _cn_template(tw: str) -> str:
    return to_cn(tw)


_SLOT = re.compile(r"\{(\w+)\}")


def _sub(tpl: str, f: dict[str, W], loc: str) -> str:
    return _SLOT.sub(lambda m: f[m.group(1)].get(loc), tpl)


# -- pages ------------------------------------------------------------------------------

def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s: str) -> str:
    return esc(s).replace('"', "&quot;")


@dataclass(frozen=True)
class PageInfo:
    index: int
    rel: str          # source_pages/qa/<dept>/<slug>.html
    dept: str
    slug: str
    locale: str


@lru_cache(maxsize=4)
def _by_dept(n: int, _unused: int = 0) -> dict[str, list[PageInfo]]:
    out: dict[str, list[PageInfo]] = {d: [] for d in DEPTS}
    for p in page_plan(n, 0):
        out[p.dept].append(p)
    return out


@lru_cache(maxsize=4)
def page_plan(n: int, seed: int = 0) -> list[PageInfo]:
    out = []
    for i in range(n):
        dept = DEPTS[i % len(DEPTS)]
        loc = "zh_TW" if (i // len(DEPTS)) % 2 == 0 else "en"
        slug = f"q{i:06d}"
        out.append(PageInfo(i, f"source_pages/qa/{dept}/{slug}.html", dept, slug, loc))
    return out


def _href(src: PageInfo, dst: PageInfo) -> str:
    return f"{dst.slug}.html" if src.dept == dst.dept else f"../{dst.dept}/{dst.slug}.html"


class PageWriter:
    """Writes one page; remembers the translation of every text piece it writes."""

    def __init__(self, info: PageInfo, plan: list[PageInfo], seed: int, extra_terms: list[W]):
        self.info = info
        self.plan = plan
        self.rng = random.Random(f"{seed}:page:{info.index}")
        self.text = Text(self.rng, extra_terms)
        self.src = info.locale
        self.pieces: dict[str, W] = {n: W(n, n, n) for n in ("Facebook", "LINE")}
        self.lines: list[str] = []

    def t(self, w: W) -> str:
        """The source text of ``w`` (escaped for HTML), remembering its translations."""
        s = w.get(self.src)
        self.pieces[_norm(s)] = w
        return esc(s)

    def a(self, w: W) -> str:
        s = w.get(self.src)
        self.pieces[_norm(s)] = w
        return esc_attr(s)

    def c(self, key: str) -> W:
        en, tw = CHROME[key]
        return _w(en, tw)

    def out(self, line: str) -> None:
        self.lines.append(line)

    def others(self, k: int, same_dept: bool) -> list[PageInfo]:
        """``k`` other pages, of the same department or not: a stable, local choice."""
        groups = _by_dept(len(self.plan))
        mine = groups[self.info.dept]
        pool = mine if same_dept else groups[DEPTS[(DEPTS.index(self.info.dept) + 1) % len(DEPTS)]]
        if len(pool) < 2:
            pool = self.plan
        start = self.rng.randrange(len(pool))
        out = []
        for j in range(len(pool)):
            p = pool[(start + j) % len(pool)]
            if p.index != self.info.index:
                out.append(p)
            if len(out) == k:
                break
        return out or [self.info]

    def build(self) -> str:
        T, r, info = self.text, self.rng, self.info
        f = T._fillers()
        title = T.fill(r.choice(TITLE), f)
        dept = f["dept"]
        sep = W(" | ", "｜", "｜")
        full_title = W(title.en + sep.en + dept.en, title.zh_TW + sep.zh_TW + dept.zh_TW,
                       title.zh_CN + sep.zh_CN + dept.zh_CN)
        desc = T.sentences(QUESTION, 2)
        o = self.out
        o("<!DOCTYPE html>")
        o(f'<html lang="{HTML_LANG[self.src]}">')
        o("<head>")
        o('  <meta charset="utf-8">')
        o('  <meta name="viewport" content="width=device-width, initial-scale=1">')
        o(f"  <title>{self.t(full_title)}</title>")
        o(f'  <meta name="description" content="{self.a(desc)}">')
        o(f'  <meta property="og:title" content="{self.a(full_title)}">')
        o(f'  <meta property="og:description" content="{self.a(desc)}">')
        o('  <link rel="stylesheet" href="../../assets/site.css">')
        o("</head>")
        o("<body>")
        o('  <header class="site-header">')
        o(f'    <p class="site-name">{self.t(self.c("site"))}</p>')
        o(f'    <nav class="site-nav" aria-label="{self.a(self.c("menu"))}">')
        o("      <ul>")
        for p in self.others(3, True):
            o(f'        <li><a href="{_href(info, p)}">{self.t(T.fill(r.choice(TITLE)))}</a></li>')
        o("      </ul>")
        o("    </nav>")
        o("  </header>")
        o("")
        o("  <main>")
        o(f'    <nav class="breadcrumbs" aria-label="{self.a(self.c("crumbs"))}">')
        o("      <ol>")
        o(f"        <li>{self.t(self.c('home'))}</li>")
        o(f"        <li>{self.t(dept)}</li>")
        o(f"        <li>{self.t(f['cond'])}</li>")
        o("      </ol>")
        o("    </nav>")
        o("")
        o(f"    <h1>{self.t(title)}</h1>")
        o("")
        o('    <ul class="share">')
        url = f"https%3A%2F%2Fexample.org%2Fqa%2F{info.dept}%2F{info.slug}.html"
        sp = " " if self.src == "en" else " "
        o(f'      <li><a href="https://www.facebook.com/sharer/sharer.php?u={url}">{self.t(self.c("share"))}'
          f'{sp}<span translate="no">Facebook</span></a></li>')
        o(f'      <li><a href="https://social-plugins.line.me/lineit/share?url={url}">{self.t(self.c("share"))}'
          f'{sp}<span translate="no">LINE</span></a></li>')
        o("    </ul>")
        o("")
        o('    <article class="question">')
        o(f'      <h2 class="question-title">{self.t(T.fill(r.choice(TITLE), f))}</h2>')
        for _ in range(r.randint(2, 3)):
            o(f"      <p>{self.t(T.sentences(QUESTION, r.randint(1, 2)))}</p>")
        date = f"2023-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        shown = date.replace("-", "/")
        age, sn = r.randint(10, 80), self.text.pick("surname")
        asker = _w(f"Mr. {sn.en}, {age} years old,", f"{sn.zh_TW}先生，{age}歲，")
        o(f'      <p class="asker">{self.t(W(asker.en + " " + self.c("asked").en, asker.zh_TW + self.c("asked").zh_TW, asker.zh_CN + self.c("asked").zh_CN))}'
          f'<time datetime="{date}">{shown}</time></p>')
        o("    </article>")
        o("")
        doc = self.doctor()
        o('    <section class="answer">')
        o(f'      <p class="doctor">{self.t(doc)}</p>')
        o(f'      <p class="department">{self.t(dept)}</p>')
        for _ in range(r.randint(1, 2)):
            o(f"      <p>{self.t(T.sentences(ANSWER, r.randint(2, 3)))}</p>")
        o(f'      <p class="reply-date">{self.t(self.c("replied"))}<time datetime="{date}">{shown}</time></p>')
        o("    </section>")
        o("")
        o('    <section class="more-info">')
        o(f"      <h2>{self.t(self.c('details'))}</h2>")
        for _ in range(2):
            o(f"      <p>{self.t(T.sentences(ANSWER, r.randint(2, 4)))}</p>")
        for k in range(4):
            o("")
            o(f"      <h3>{self.t(T.fill(r.choice(HEADING)))}</h3>")
            if k == 1:
                o("      <ul>")
                for it in r.sample(ITEM, 3):
                    g = T._fillers()
                    head, body = _w(it[0], it[1]), T.fill((it[2], it[3]), g)
                    gap = " " if self.src == "en" else ""
                    o(f"        <li><strong>{self.t(head)}</strong>{gap}{self.t(body)}</li>")
                o("      </ul>")
            elif k == 2:
                target = self.others(1, False)[0]
                before = T.sentences(ANSWER, 1)
                g = T._fillers()
                link = g["generic"]
                after = T.fill(("is also used for more severe disease.", "也常用於較嚴重的病例。"), g)
                gap = " " if self.src == "en" else ""
                o(f'      <p>{self.t(before)}{gap}<a href="{_href(info, target)}">{self.t(link)}</a>'
                  f"{gap}{self.t(after)}</p>")
            else:
                o(f"      <p>{self.t(T.sentences(ANSWER, r.randint(2, 3)))}</p>")
        o("    </section>")
        o("")
        o('    <section class="similar">')
        o(f"      <h2>{self.t(self.c('similar'))}</h2>")
        o("      <ol>")
        for p in self.others(4, True):
            o("        <li>")
            o(f"          <h3>{self.t(T.fill(r.choice(TITLE)))}</h3>")
            o(f'          <p class="excerpt">{self.t(T.sentences(QUESTION, 2))}</p>')
            o(f'          <p class="doctor">{self.t(self.doctor())}</p>')
            o(f'          <p class="department">{self.t(self.text.pick("department"))}</p>')
            o(f"          <p>{self.t(T.sentences(ANSWER, 1))}</p>")
            o(f'          <p class="read-more"><a href="{_href(info, p)}">{self.t(self.c("more"))}</a></p>')
            o("        </li>")
        o("      </ol>")
        o("    </section>")
        o("")
        o('    <section class="tags">')
        o(f"      <h2>{self.t(self.c('related'))}</h2>")
        o("      <ul>")
        for cond in r.sample(self.text.v["condition"], 6):
            d = self.text.pick("department")
            paren = W(f"({d.en})", f"（{d.zh_TW}）", f"（{d.zh_CN}）")
            o(f'        <li><span class="tag">{self.t(cond)}</span><span class="dept">{self.t(paren)}</span></li>')
        o("      </ul>")
        o("    </section>")
        o("  </main>")
        o("")
        o('  <footer class="site-footer">')
        o(f"    <p>{self.t(self.c('disclaimer'))}</p>")
        o(f"    <p>{self.t(self.c('copyright'))}</p>")
        o("  </footer>")
        o("</body>")
        o("</html>")
        return "\n".join(self.lines) + "\n"

    def doctor(self) -> W:
        s, g = self.text.pick("surname"), self.text.pick("given")
        return W(f"Dr. {s.en} {g.en} replied", f"{s.zh_TW}{g.zh_TW}醫師回覆", f"{s.zh_CN}{g.zh_CN}医师回复")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


_PH = re.compile(r"(</?[a-z][a-z0-9]*?[0-9]+/?>)")


def translate(msgid: str, pieces: dict[str, W], loc: str) -> str:
    """``msgid`` with each text run between placeholders replaced by its translation."""
    from l10n.markup import escape_text, unescape_text
    out: list[str] = []
    parts = _PH.split(msgid)
    for i, part in enumerate(parts):
        if not part or _PH.fullmatch(part) or not part.strip():
            out.append(part)
            continue
        w = pieces.get(_norm(unescape_text(part)))
        if w is None:
            out.append(part)
            continue
        lead = part[:len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()):]
        if loc == "en":     # Chinese sets no space between words and tags; English does
            if not lead and out and out[-1].startswith("</"):
                lead = " "
            if not trail and i + 1 < len(parts) and parts[i + 1][:1] == "<" and parts[i + 1][1:2] != "/":
                trail = " "
        out.append(lead + escape_text(w.get(loc)) + trail)
    return "".join(out)


# -- catalogs --------------------------------------------------------------------------

def po_quote(s: str) -> str:
    return '"' + (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\t", "\\t").replace("\r", "\\r")) + '"'


def po_header(*, source: str, language: str | None) -> str:
    lines = ["Project-Id-Version: bench 1.0", "Report-Msgid-Bugs-To: ",
             "POT-Creation-Date: 2023-01-01 00:00+0000", "PO-Revision-Date: 2023-01-02 00:00+0000",
             "Last-Translator: Bench <bench@example.org>",
             f"Language-Team: {TEAM[language] if language else 'LANGUAGE <LL@li.org>'}"]
    if language:
        lines.append(f"Language: {language}")
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
              "Content-Transfer-Encoding: 8bit"]
    if language:
        lines.append(f"Plural-Forms: {PLURAL[language]}")
    lines += ["X-Generator: l10n-bench", f"X-Source-Language: {source}"]
    return 'msgid ""\nmsgstr ""\n' + "".join(po_quote(ln + "\n") + "\n" for ln in lines)


@dataclass(frozen=True)
class Unit:
    msgid: str
    msgctxt: str | None
    places: tuple[str, ...]
    occurrences: tuple[str, ...]


def po_text(units: Iterable[Unit], *, source: str, language: str | None,
            msgstr: dict[str, str] | None = None, fuzzy: set[str] = frozenset()) -> str:
    parts = [po_header(source=source, language=language)]
    for u in units:
        block = []
        if u.places:
            block.append("#. " + ", ".join(u.places))
        if u.occurrences:
            block.append("#: " + " ".join(u.occurrences))
        if u.msgid in fuzzy:
            block.append("#, fuzzy")
        if u.msgctxt is not None:
            block.append("msgctxt " + po_quote(u.msgctxt))
        block.append("msgid " + po_quote(u.msgid))
        block.append("msgstr " + po_quote(msgstr.get(u.msgid, "") if msgstr else ""))
        parts.append("\n".join(block) + "\n")
    return "\n".join(parts)


def units_of(skeleton) -> list[Unit]:
    by: dict[tuple[str | None, str], list] = {}
    for s in skeleton.segments:
        rec = by.setdefault((s.msgctxt, s.msgid), [[], []])
        note = s.place + (f": {s.comment}" if s.comment else "")
        if note not in rec[0]:
            rec[0].append(note)
        occ = f"{s.page}:{s.line}"
        if occ not in rec[1]:
            rec[1].append(occ)
    return [Unit(k[1], k[0], tuple(v[0]), tuple(v[1])) for k, v in by.items()]


def _domain(rel: str) -> str:
    return ".".join(Path(rel).relative_to("source_pages").with_suffix("").parts)


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)


def _make_pages(args: tuple[Path, list[int], int, int, int]) -> int:
    """Worker: write pages ``indices`` with their template and catalogs."""
    from l10n.html.walker import parse_page
    from l10n.locales import locale_for_lang
    out, indices, n, seed, terms = args
    plan = page_plan(n, seed)
    extra = synthetic_terms_for_text(seed, terms)
    missing = 0
    for i in indices:
        info = plan[i]
        pw = PageWriter(info, plan, seed, extra)
        html = pw.build()
        _write(out / info.rel, html)
        skel = parse_page(html.encode("utf-8"), info.rel,
                          lambda lang: locale_for_lang(lang, tuple(TARGETS)))
        units = units_of(skel)
        dom = _domain(info.rel)
        _write(out / "locales" / "templates" / f"{dom}.pot", po_text(units, source=info.locale, language=None))
        for loc in TARGETS[info.locale]:
            table = {}
            for u in units:
                tr = translate(u.msgid, pw.pieces, loc)
                if tr == u.msgid and loc != info.locale and re.search(r"[A-Za-z\u4e00-\u9fff]", u.msgid):
                    missing += 1
                table[u.msgid] = tr
            _write(out / "locales" / loc / "LC_MESSAGES" / f"{dom}.po",
                   po_text(units, source=info.locale, language=loc, msgstr=table))
    return missing


PYPROJECT = """\
[project]
name = "bench-site"
version = "1.0"

[tool.l10n]
source_dir = "source_pages"
locales_dir = "locales"
output_dir = "site"
glossary = "locales/glossary.toml"
threshold = 80

[tool.l10n.targets]
en = ["zh_TW", "zh_CN"]
zh_TW = ["en", "zh_CN"]
"""


def make_site(out: Path, pages: int, *, seed: int = 1, terms: int = 1000, jobs: int | None = None) -> dict:
    """Write a site project of ``pages`` pages into ``out`` (emptied first)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _write(out / "pyproject.toml", PYPROJECT)
    _write(out / "source_pages" / "assets" / "site.css", REAL_CSS.read_bytes())
    make_glossary(out / "locales" / "glossary.toml", terms, seed=seed)
    jobs = jobs or os.cpu_count() or 1
    chunks = [list(range(k, pages, jobs * 4)) for k in range(min(pages, jobs * 4))]
    if jobs > 1 and pages >= 64:
        with ProcessPoolExecutor(jobs) as ex:
            missing = sum(ex.map(_make_pages, [(out, c, pages, seed, terms) for c in chunks]))
    else:
        missing = sum(_make_pages((out, c, pages, seed, terms)) for c in chunks)
    size = sum((out / p.rel).stat().st_size for p in page_plan(pages, seed))
    info = {"pages": pages, "seed": seed, "terms": terms, "bytes": size,
            "mean_page_bytes": round(size / max(pages, 1)), "untranslated_units": missing}
    _write(out / "corpus.json", json.dumps(info, indent=2) + "\n")
    return info


# -- glossary --------------------------------------------------------------------------

_EN_ROOTS = ("derm", "hepat", "neur", "cardi", "oste", "my", "nephr", "gastr", "pneum", "arthr", "angi",
             "lymph", "chondr", "cyst", "fibr", "kerat", "onych", "trich", "scler", "vascul", "rhin",
             "ot", "ophthalm", "encephal", "col", "pancreat", "thyr", "aden", "hem", "cyt")
_EN_MID = ("o", "a", "i", "y", "ero", "ato", "ino", "ulo", "eto", "ido")
_EN_END = ("itis", "osis", "opathy", "ectomy", "algia", "oma", "plasty", "ase", "ine", "ide", "stat",
           "mab", "pril", "sartan", "olol", "azole")
_EN_QUAL = ("acute", "chronic", "juvenile", "nodular", "linear", "diffuse", "focal", "atypical",
            "familial", "recurrent", "primary", "secondary")
_ZH_CHARS = ("皮膚肝腎心肺骨肌腸胃血淋巴軟骨囊纖維角質指甲毛髮硬化血管鼻耳眼腦結胰甲狀腺細胞"
             "炎症瘤病變性急慢節結線狀瀰漫局部非典型家族復發原發繼發酶素胺酮醇酸")
_ZH_END = ("炎", "症", "病", "瘤", "素", "胺", "酮", "劑", "術", "變")


def synthetic_concepts(seed: int, count: int) -> list[tuple[str, str, str, str]]:
    """``count`` made-up concepts (id, en, zh_TW, zh_CN); a prefix of a longer list."""
    rng = random.Random(f"{seed}:glossary")
    seen_en: set[str] = set()
    seen_tw: set[str] = set()
    seen_cn: set[str] = set()
    out = []
    while len(out) < count:
        en = rng.choice(_EN_ROOTS) + rng.choice(_EN_MID) + rng.choice(_EN_END)
        if rng.random() < 0.5:
            en = rng.choice(_EN_QUAL) + " " + en
        tw = "".join(rng.choice(_ZH_CHARS) for _ in range(rng.randint(2, 4))) + rng.choice(_ZH_END)
        cn = to_cn(tw)
        if en.casefold() in seen_en or tw in seen_tw or cn in seen_cn:
            continue
        seen_en.add(en.casefold())
        seen_tw.add(tw)
        seen_cn.add(cn)
        out.append((f"syn-{len(out):06d}", en, tw, cn))
    return out


def synthetic_terms_for_text(seed: int, terms: int) -> list[W]:
    """The made-up terms that the text may mention (the first 200, in every glossary size)."""
    n = min(200, max(0, terms - _real_count()))
    return [W(en, tw, cn) for _, en, tw, cn in synthetic_concepts(seed, n)]


@lru_cache(maxsize=None)
def _real_count() -> int:
    return REAL_GLOSSARY.read_text("utf-8").count("[[concept]]")


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def make_glossary(path: Path, terms: int, *, seed: int = 1) -> dict:
    """The real glossary plus made-up concepts up to ``terms`` concepts in all."""
    real = REAL_GLOSSARY.read_text("utf-8")
    n = max(0, terms - _real_count())
    kinds = ("term", "condition", "procedure", "anatomy")
    blocks = []
    for k, (cid, en, tw, cn) in enumerate(synthetic_concepts(seed, n)):
        blocks.append(f"[[concept]]\nid = {_q(cid)}\ntype = {_q(kinds[k % len(kinds)])}\n"
                      f"en = {{ preferred = {_q(en)} }}\nzh_TW = {{ preferred = {_q(tw)} }}\n"
                      f"zh_CN = {{ preferred = {_q(cn)} }}\n")
    text = real.rstrip("\n") + "\n\n# ======== synthetic (benchmark) =======================================\n\n" \
        + "\n".join(blocks) if blocks else real
    _write(path, text)
    return {"concepts": _real_count() + n, "terms": (_real_count() + n) * 3}


# -- the big catalog -------------------------------------------------------------------

def _big_units(rng: random.Random, count: int, extra: list[W]) -> list[tuple[str, W]]:
    """``count`` distinct (place, text) units in the three locales, page-like."""
    T = Text(rng, extra)
    seen: set[str] = set()
    out: list[tuple[str, W]] = []
    while len(out) < count:
        x = rng.random()
        if x < 0.10:
            place, w = "h3", T.fill(rng.choice(TITLE + HEADING))
        elif x < 0.60:
            place, w = "p", T.sentences(ANSWER if rng.random() < 0.7 else QUESTION, rng.randint(1, 3))
        elif x < 0.78:
            it = rng.choice(ITEM)
            head, body = _w(it[0], it[1]), T.fill((it[2], it[3]))
            place = "li"
            w = W(f"<strong1>{head.en}</strong1> {body.en}", f"<strong1>{head.zh_TW}</strong1>{body.zh_TW}",
                  f"<strong1>{head.zh_CN}</strong1>{body.zh_CN}")
        elif x < 0.90:
            g = T._fillers()
            before = T.sentences(ANSWER, 1)
            link = g["generic"]
            after = T.fill(("is also used for more severe disease.", "也常用於較嚴重的病例。"), g)
            place = "p"
            w = W(f"{before.en} <a1>{link.en}</a1> {after.en}", f"{before.zh_TW}<a1>{link.zh_TW}</a1>{after.zh_TW}",
                  f"{before.zh_CN}<a1>{link.zh_CN}</a1>{after.zh_CN}")
        else:
            place, w = "p", T.sentences(QUESTION, rng.randint(2, 4))
        w = W(w.en.replace("&", "&amp;"), w.zh_TW.replace("&", "&amp;"), w.zh_CN.replace("&", "&amp;"))
        if w.en in seen:
            continue
        seen.add(w.en)
        out.append((place, w))
    return out


_SWAPS = [("tacrolimus", "pimecrolimus"), ("methotrexate", "azathioprine"), ("weeks", "months"),
          ("skin", "skin surface"), ("doctor", "dermatologist"), ("usually", "often"),
          ("patients", "people"), ("may", "might"), ("Please tell", "Tell"), ("every day", "daily")]


def edit_msgid(rng: random.Random, msgid: str) -> str:
    """A realistic source edit: a word changed, added or removed, a number or a typo fixed."""
    kind = rng.randrange(6)
    words = msgid.split(" ")
    if kind == 0:
        for a, b in rng.sample(_SWAPS, len(_SWAPS)):
            if a in msgid:
                return msgid.replace(a, b, 1)
    if kind == 1 and re.search(r"\d+", msgid):
        return re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(1, 9)), msgid, count=1)
    if kind == 2 and len(words) > 6:
        i = rng.randrange(1, len(words) - 1)
        return " ".join(words[:i] + [rng.choice(("usually", "often", "also", "sometimes", "clearly"))] + words[i:])
    if kind == 3 and len(words) > 8:
        i = rng.randrange(1, len(words) - 1)
        if "<" not in words[i]:
            return " ".join(words[:i] + words[i + 1:])
    if kind == 4:
        return msgid.rstrip(".?") + (", as discussed." if msgid.endswith(".") else " at all?")
    return msgid.replace(" ", "  ", 1).replace("  ", " the ", 1) if " " in msgid else msgid + " (updated)"


def make_big(out: Path, entries: int, *, edited: int = 0, seed: int = 1, terms: int = 1000,
             target: str = "zh_TW") -> dict:
    """``out/old.po`` (entries translated, source en) and ``out/new.pot`` (``edited`` msgids edited).

    Also ``out/edits.json``: [new msgid, old msgid] of every edited entry.
    """
    rng = random.Random(f"{seed}:big:{entries}")
    extra = synthetic_terms_for_text(seed, terms)
    units = _big_units(rng, entries, extra)
    # a few translations carry the other region's term, as real catalogs do
    msgstr = {}
    for _place, w in units:
        s = w.get(target)
        if rng.random() < 0.02:
            s = w.zh_CN if target == "zh_TW" else w.zh_TW
        msgstr[w.en] = s
    pages = max(1, entries // 50)
    recs = []
    for k, (place, w) in enumerate(units):
        page = f"source_pages/qa/{DEPTS[k % 4]}/q{(k // 50) % pages:06d}.html"
        recs.append(Unit(w.en, None, (place,), (f"{page}:{20 + (k % 50) * 2}",)))
    seen = {u.msgid for u in recs}
    chosen = sorted(rng.sample(range(entries), min(edited, entries)))
    edits = []
    new_recs = list(recs)
    for k in chosen:
        old = recs[k].msgid
        new = edit_msgid(rng, old)
        tries = 0
        while (new == old or new in seen) and tries < 10:
            new = edit_msgid(rng, old) + (" " * 0)
            tries += 1
        if new == old or new in seen:
            new = old + f" ({k})"
        seen.add(new)
        new_recs[k] = Unit(new, None, recs[k].places, recs[k].occurrences)
        edits.append([new, old])
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "old.po", po_text(recs, source="en", language=target, msgstr=msgstr))
    _write(out / "new.pot", po_text(new_recs, source="en", language=None))
    _write(out / "edits.json", json.dumps(edits, ensure_ascii=False) + "\n")
    return {"entries": entries, "edited": len(edits), "bytes_po": (out / "old.po").stat().st_size}


# -- command line ------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("site", help="a site project of N pages")
    s.add_argument("out", type=Path)
    s.add_argument("--pages", type=int, default=1000)
    b = sub.add_parser("big", help="one big catalog and an edited template")
    b.add_argument("out", type=Path)
    b.add_argument("--entries", type=int, default=20000)
    b.add_argument("--edited", type=int, default=2000)
    g = sub.add_parser("glossary", help="a glossary of M concepts")
    g.add_argument("out", type=Path)
    for p in (s, b, g):
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--terms", type=int, default=1000, help="glossary concepts (real ones included)")
    a = ap.parse_args(argv)
    if a.what == "site":
        info = make_site(a.out, a.pages, seed=a.seed, terms=a.terms)
    elif a.what == "big":
        info = make_big(a.out, a.entries, edited=a.edited, seed=a.seed, terms=a.terms)
    else:
        info = make_glossary(a.out, a.terms, seed=a.seed)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
