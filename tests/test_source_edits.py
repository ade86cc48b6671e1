"""No lost work, part 2: pages change in every way, translations stay.

Each scenario takes the fully translated project of ``reliability_project``,
changes its source pages (edit, rewrite, delete, reorder, split, join, add
markup, change context, re-indent, rename or move a page, move text between
pages, delete a page), runs ``l10n extract`` and ``l10n update`` and checks that

* every translation is still in a catalog of its locale: active with the same
  msgid, fuzzy with the old msgid as ``#| msgid``, or obsolete (``#~``), with
  the translator's comment and flags;
* the translations of text that did not change are untouched (same msgstr,
  not fuzzy);
* and the scenario's own expectation (a small edit gives a fuzzy entry with
  ``#|``, a deleted paragraph an obsolete one, a renamed page a catalog with
  every translation active...).
"""
from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from reliability_project import catalogs, lost_translations, run, translated_project, translations

SRC = "source_pages"


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch):
    """These tests are about what update keeps, not durability: skip fsync (test_crash keeps it)."""
    monkeypatch.setattr("l10n.fsutil.os.fsync", lambda fd: None)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return translated_project(tmp_path_factory.mktemp("edits"))


def page(root: Path, rel: str) -> Path:
    return root / SRC / rel


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    p = page(root, rel)
    text = p.read_text("utf-8")
    assert text.count(old) >= 1, (rel, old)
    p.write_text(text.replace(old, new, count), "utf-8")


def po(root: Path, locale: str, domain: str):
    return catalogs(root)[f"locales/{locale}/LC_MESSAGES/{domain}.po"]


def targets(rel: str) -> tuple[str, ...]:
    return ("en", "zh_CN") if rel.startswith("qa/") else ("zh_TW", "zh_CN")


def domain(rel: str) -> str:
    return rel[:-len(".html")].replace("/", ".")


def entry(root: Path, locale: str, dom: str, msgid: str, *, obsolete: bool | None = None):
    hits = [e for e in po(root, locale, dom) if e.msgid == msgid and
            (obsolete is None or bool(e.obsolete) == obsolete)]
    assert len(hits) == 1, (locale, dom, msgid, len(hits))
    return hits[0]


# -- what the pages say ------------------------------------------------------------------
# (page, element HTML as written, its msgid)
UNITS = [
    ("treatment.html", "<p>Localized scleroderma affects the skin and the tissue under it.</p>",
     "Localized scleroderma affects the skin and the tissue under it."),
    ("treatment.html", "<p>Doctors often prescribe <strong>methotrexate</strong> once a week.</p>",
     "Doctors often prescribe <strong1>methotrexate</strong1> once a week."),
    ("treatment.html", "<p>Take it with food. Do not drink alcohol while you take it.</p>",
     "Take it with food. Do not drink alcohol while you take it."),
    ("treatment.html", '<p>See <a href="qa/ask.html">the questions from patients</a> for more.</p>',
     "See <a1>the questions from patients</a1> for more."),
    ("treatment.html", "<li>Creams and ointments</li>", "Creams and ointments"),
    ("treatment.html", "<li>Light therapy</li>", "Light therapy"),
    ("treatment.html", "<li>Physical therapy</li>", "Physical therapy"),
    ("treatment.html", '<p class="date">Updated <time datetime="2023-02-27">February 27, 2023</time>.</p>',
     "Updated <time1>February 27, 2023</time1>."),
    ("side-effects.html", "<p>Most people have mild side effects, if any.</p>",
     "Most people have mild side effects, if any."),
    ("side-effects.html", "<p>Nausea is the most common one.</p>", "Nausea is the most common one."),
    ("side-effects.html", "<p>Tell your doctor about a cough or a fever.</p>",
     "Tell your doctor about a cough or a fever."),
    ("side-effects.html", "<p>Your doctor will check your blood every few weeks.</p>",
     "Your doctor will check your blood every few weeks."),
    ("qa/ask.html", "<p>醫師您好，請問這個藥物有什麼副作用？</p>", "醫師您好，請問這個藥物有什麼副作用？"),
    ("qa/ask.html", "<p>我已經吃了三個月，最近常常覺得噁心。</p>", "我已經吃了三個月，最近常常覺得噁心。"),
    ("qa/ask.html", "<h1>局部硬皮症的用藥問題</h1>", "局部硬皮症的用藥問題"),
]


def small_edit(msgid: str) -> str:
    """A typo-sized change that keeps the text similar (a fuzzy match)."""
    if msgid.endswith("。") or msgid.endswith("？"):
        return msgid[:-1] + "呢" + msgid[-1]
    if msgid.endswith("."):
        return msgid[:-1] + ", usually."
    return msgid + "s"


@dataclass(frozen=True)
class Scenario:
    name: str
    change: Callable[[Path], None]
    expect: Callable[[Path], None] | None = None


def unit_scenarios() -> list[Scenario]:
    out = []
    for rel, html, msgid in UNITS:
        dom = domain(rel)
        tag = re.match(r"<(\w+)", html).group(1)
        text_html = html[html.index(">") + 1:html.rindex("<")]
        short = f"{dom}:{msgid[:18]}"

        def do_edit(root, rel=rel, text_html=text_html, msgid=msgid):
            new_html = small_edit(text_html) if not text_html.endswith(".") else text_html[:-1] + ", usually."
            edit(root, rel, text_html, new_html)

        def exp_edit(root, dom=dom, rel=rel, msgid=msgid):
            for loc in targets(rel):
                e = entry(root, loc, dom, small_edit(msgid))
                assert "fuzzy" in e.flags and e.previous_msgid == msgid, (loc, e)
                assert e.msgstr.endswith(msgid)

        def do_rewrite(root, rel=rel, text_html=text_html):
            edit(root, rel, text_html, "Completely different words about zebras")

        def exp_gone(root, dom=dom, rel=rel, msgid=msgid):
            for loc in targets(rel):
                e = entry(root, loc, dom, msgid)
                assert e.obsolete and e.msgstr.endswith(msgid), (loc, e)

        def do_delete(root, rel=rel, html=html):
            edit(root, rel, html, "")

        def do_markup(root, rel=rel, text_html=text_html, msgid=msgid):
            words = text_html.split(" ")
            i = next((k for k, w in enumerate(words) if w.isalpha() and len(w) > 3), None)
            if i is None:       # CJK: wrap the first two characters
                edit(root, rel, text_html, f"<em>{text_html[:2]}</em>{text_html[2:]}")
            else:
                words[i] = f"<em>{words[i]}</em>"
                edit(root, rel, text_html, " ".join(words))

        def exp_markup(root, dom=dom, rel=rel, msgid=msgid):
            for loc in targets(rel):
                hits = [e for e in po(root, loc, dom) if "<em1>" in e.msgid]
                assert len(hits) == 1 and "fuzzy" in hits[0].flags and hits[0].previous_msgid == msgid

        def do_context(root, rel=rel, html=html, tag=tag):
            edit(root, rel, html, html.replace(f"<{tag}", f'<{tag} data-l10n-context="dosage"', 1))

        def exp_context(root, dom=dom, rel=rel, msgid=msgid):
            for loc in targets(rel):
                new = [e for e in po(root, loc, dom) if e.msgid == msgid and e.msgctxt == "dosage"]
                assert len(new) == 1 and not new[0].msgstr
                assert entry(root, loc, dom, msgid, obsolete=True).msgstr.endswith(msgid)

        out += [Scenario(f"edit {short}", do_edit, exp_edit),
                Scenario(f"rewrite {short}", do_rewrite, exp_gone),
                Scenario(f"delete {short}", do_delete, exp_gone),
                Scenario(f"markup {short}", do_markup, exp_markup),
                Scenario(f"context {short}", do_context, exp_context)]
    return out


def all_active(rel: str, msgids: list[str] | None = None):
    def check(root: Path) -> None:
        for loc in targets(rel):
            for e in po(root, loc, domain(rel)):
                if msgids is None or e.msgid in msgids:
                    assert e.msgstr and "fuzzy" not in e.flags and not e.obsolete, (loc, e.msgid)
    return check


def reorder(rel: str) -> Callable[[Path], None]:
    def do(root: Path) -> None:
        p = page(root, rel)
        text = p.read_text("utf-8")
        head, rest = text.split("<body>\n")
        body, tail = rest.split("</body>")
        blocks: list[str] = []
        for line in body.splitlines(keepends=True):    # a block starts at two spaces and "<"
            if line.startswith("  <") and not line.startswith("  </") or not blocks:
                blocks.append(line)
            else:
                blocks[-1] += line
        assert len(blocks) >= 3
        p.write_text(head + "<body>\n" + "".join(reversed(blocks)) + "</body>" + tail, "utf-8")
    return do


def reindent(rel: str) -> Callable[[Path], None]:
    def do(root: Path) -> None:
        p = page(root, rel)
        text = p.read_text("utf-8")
        text = re.sub(r"^  ", "\n\t\t", text, flags=re.M).replace(" the ", "\n      the ")
        p.write_text(text, "utf-8")
    return do


def split_p(rel: str, html: str, first: str, second: str, kept: str) -> Scenario:
    def do(root: Path) -> None:
        edit(root, rel, html, f"<p>{first}</p>\n  <p>{second}</p>")

    def exp(root: Path) -> None:
        for loc in targets(rel):
            e = entry(root, loc, domain(rel), kept)
            assert "fuzzy" in e.flags and e.previous_msgid.startswith(first[:6])
    return Scenario(f"split {domain(rel)}:{first[:18]}", do, exp)


def join_p(rel: str, a: str, b: str) -> Scenario:
    def do(root: Path) -> None:
        edit(root, rel, f"<p>{a}</p>\n  <p>{b}</p>", f"<p>{a} {b}</p>")

    def exp(root: Path) -> None:
        for loc in targets(rel):
            joined = entry(root, loc, domain(rel), f"{a} {b}")
            assert "fuzzy" in joined.flags and joined.previous_msgid in (a, b)
            other = b if joined.previous_msgid == a else a
            assert entry(root, loc, domain(rel), other, obsolete=True).msgstr
    return Scenario(f"join {domain(rel)}:{a[:18]}", do, exp)


def rename(old: str, new: str) -> Scenario:
    def do(root: Path) -> None:
        dst = page(root, new)
        dst.parent.mkdir(parents=True, exist_ok=True)
        text = page(root, old).read_text("utf-8")
        if old.count("/") != new.count("/"):       # keep relative links pointing right
            text = text.replace('href="qa/ask.html"', 'href="../qa/ask.html"') if "/" in new \
                else text.replace('href="../', 'href="')
        dst.write_text(text, "utf-8")
        page(root, old).unlink()

    def exp(root: Path) -> None:
        for loc in targets(old):
            before = {e.msgid: e.msgstr for e in po(root, loc, domain(old)) if not e.obsolete}
            after = {e.msgid: e for e in po(root, loc, domain(new))}
            assert before and set(before) <= set(after)
            for msgid, msgstr in before.items():
                assert after[msgid].msgstr == msgstr and "fuzzy" not in after[msgid].flags
    return Scenario(f"rename {old} -> {new}", do, exp)


def move_text(src: str, html: str, msgid: str, dst: str, anchor: str) -> Scenario:
    def do(root: Path) -> None:
        edit(root, src, html, "")
        edit(root, dst, anchor, f"{html}\n  {anchor}")

    def exp(root: Path) -> None:
        for loc in targets(src):
            assert entry(root, loc, domain(src), msgid, obsolete=True).msgstr
            e = entry(root, loc, domain(dst), msgid)
            assert e.msgstr.endswith(msgid) and "fuzzy" not in e.flags
    return Scenario(f"move text {domain(src)} -> {domain(dst)}: {msgid[:18]}", do, exp)


def delete_page(rel: str) -> Scenario:
    def do(root: Path) -> None:
        page(root, rel).unlink()

    def exp(root: Path) -> None:
        assert not (root / "locales" / "templates" / f"{domain(rel)}.pot").exists()
        for loc in targets(rel):
            assert all(e.msgstr for e in po(root, loc, domain(rel)))
    return Scenario(f"delete page {rel}", do, exp)


def replace_page(rel: str) -> Scenario:
    def do(root: Path) -> None:
        lang = "zh-Hant-TW" if rel.startswith("qa/") else "en"
        page(root, rel).write_text(f'<!DOCTYPE html>\n<html lang="{lang}"><head><title>New</title></head>'
                                   f"<body><p>Something else entirely.</p></body></html>\n", "utf-8")

    def exp(root: Path) -> None:
        for loc in targets(rel):
            obsolete = [e for e in po(root, loc, domain(rel)) if e.obsolete]
            assert len(obsolete) >= 3 and all(e.msgstr for e in obsolete)
    return Scenario(f"replace page {rel}", do, exp)


def whole_scenarios() -> list[Scenario]:
    T, S, Q = "treatment.html", "side-effects.html", "qa/ask.html"
    return [
        Scenario("reorder treatment", reorder(T), all_active(T)),
        Scenario("reorder side-effects", reorder(S), all_active(S)),
        Scenario("reorder qa.ask", reorder(Q), all_active(Q)),
        Scenario("reindent treatment", reindent(T), all_active(T)),
        Scenario("reindent qa.ask", reindent(Q), all_active(Q)),
        split_p(T, "<p>Take it with food. Do not drink alcohol while you take it.</p>",
                "Take it with food.", "Do not drink alcohol while you take it.",
                "Do not drink alcohol while you take it."),
        split_p(Q, "<p>我已經吃了三個月，最近常常覺得噁心。</p>", "我已經吃了三個月，", "最近常常覺得噁心。",
                "我已經吃了三個月，"),
        join_p(S, "Most people have mild side effects, if any.", "Nausea is the most common one."),
        join_p(S, "Tell your doctor about a cough or a fever.",
               "Your doctor will check your blood every few weeks."),
        join_p(Q, "醫師您好，請問這個藥物有什麼副作用？", "我已經吃了三個月，最近常常覺得噁心。"),
        rename(T, "treatment-options.html"),
        rename(S, "drugs/side-effects.html"),
        rename(Q, "questions/ask.html"),
        move_text(T, "<p>Localized scleroderma affects the skin and the tissue under it.</p>",
                  "Localized scleroderma affects the skin and the tissue under it.", S,
                  "<p>Nausea is the most common one.</p>"),
        move_text(S, "<p>Tell your doctor about a cough or a fever.</p>",
                  "Tell your doctor about a cough or a fever.", T, "<p>Take it with food."),
        delete_page(S),
        delete_page(Q),
        replace_page(T),
        replace_page(Q),
    ]


SCENARIOS = unit_scenarios() + whole_scenarios()


def update(root: Path) -> None:
    for cmd in ("extract", "update"):
        code, out, err = run(root, cmd)
        assert code == 0, err


def unchanged_kept(before: list, root: Path, touched: set[str]) -> None:
    """Entries whose msgid the edit did not touch keep their msgstr and stay unfuzzy."""
    now = {(rel, e.msgctxt, e.msgid): e for rel, p in catalogs(root).items() for e in p if not e.obsolete}
    for w in before:
        e = now.get((w.catalog, w.msgctxt, w.msgid))
        if e is None or w.msgid in touched:
            continue
        assert e.msgstr == w.msgstr and "fuzzy" not in e.flags, (w.catalog, w.msgid)


@pytest.mark.parametrize("sc", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_source_edit_keeps_translations(base, tmp_path, figures, sc):
    root = tmp_path / "p"
    shutil.copytree(base, root)
    before = translations(root)
    sc.change(root)
    update(root)
    lost = lost_translations(before, root)
    figures.lost(len(lost))
    assert lost == []
    active = {e.msgid for p in catalogs(root).values() for e in p if not e.obsolete and "fuzzy" not in e.flags}
    touched = {w.msgid for w in before if w.msgid not in active}
    unchanged_kept(before, root, touched)
    if sc.expect:
        sc.expect(root)
    figures.add("source_edit_scenarios")


def test_edit_then_revert_brings_the_entry_back(base, tmp_path, figures):
    """A paragraph edited (fuzzy), edited again (still fuzzy, #| the latest), then reverted."""
    root = tmp_path / "p"
    shutil.copytree(base, root)
    msgid = "Nausea is the most common one."
    old = entry(root, "zh_TW", "side-effects", msgid)
    edit(root, "side-effects.html", msgid, "Nausea is the most common one, by far.")
    update(root)
    e = entry(root, "zh_TW", "side-effects", "Nausea is the most common one, by far.")
    assert "fuzzy" in e.flags and e.previous_msgid == msgid and e.msgstr == old.msgstr
    edit(root, "side-effects.html", "Nausea is the most common one, by far.", msgid)
    update(root)
    e = entry(root, "zh_TW", "side-effects", msgid, obsolete=False)
    assert e.msgstr == old.msgstr and e.tcomment == old.tcomment
    assert set(e.flags) - {"fuzzy"} == set(old.flags)
    figures.add("source_edit_scenarios")


@pytest.mark.parametrize("seed", range(3))
def test_random_edit_sequences_lose_nothing(base, tmp_path, figures, seed):
    """Five rounds of random edits (with a translator translating fuzzies in between)."""
    rnd = random.Random(seed)
    root = tmp_path / "p"
    shutil.copytree(base, root)
    seen = translations(root)
    for round_ in range(5):
        for sc in rnd.sample(unit_scenarios(), 3):
            try:
                sc.change(root)
            except AssertionError:      # the text was changed by an earlier edit
                continue
        update(root)
        lost = lost_translations(seen, root)
        figures.lost(len(lost))
        assert lost == [], f"round {round_}"
        seen = translations(root)
        figures.add("source_edit_scenarios")


def test_translator_comments_and_flags_survive_every_state(base, tmp_path):
    """Active, fuzzy and obsolete entries all keep '# comment' and '#, flag'."""
    root = tmp_path / "p"
    shutil.copytree(base, root)
    kept = entry(root, "zh_TW", "treatment", "Treating scleroderma")
    assert kept.tcomment and "reviewed" in kept.flags
    edit(root, "treatment.html", "<li>Light therapy</li>", "<li>Light therapies</li>")
    edit(root, "treatment.html", "<li>Creams and ointments</li>", "")
    update(root)
    fuzzy = entry(root, "zh_TW", "treatment", "Light therapies")
    gone = entry(root, "zh_TW", "treatment", "Creams and ointments")
    light = [w for w in translations(root) if w.msgid == "Light therapies" and w.locale == "zh_TW"][0]
    assert "fuzzy" in fuzzy.flags and fuzzy.previous_msgid == "Light therapy"
    assert light.tcomment.startswith("checked with Dr. Lin") and "reviewed" in light.flags
    assert gone.obsolete
    text = (root / "locales/zh_TW/LC_MESSAGES/treatment.po").read_text("utf-8")
    assert '#| msgid "Light therapy"' in text
    assert '#~ msgid "Creams and ointments"' in text
    assert entry(root, "zh_TW", "treatment", "Treating scleroderma").tcomment == kept.tcomment
