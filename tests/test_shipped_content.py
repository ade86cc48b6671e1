"""The shipped pages and catalogs held to a medical publisher's standard (issue 17).

Nothing invented is shown as real: the two "Similar Q&A" pages of seed 000 show only what
the seed has, marked as excerpts. The editor's queries are visible in the page sources and
in the catalogs, and a translator's comment survives ``l10n update``. Links name the page
they lead to, in every locale.
"""
from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup, Comment
from click.testing import CliRunner

from l10n.cli import cli

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "source_pages"
LOCALES = REPO / "locales"
SEED_000 = (REPO / "tests" / "fixtures" / "seeds" / "000_121d227827def5eb.txt").read_text("utf-8")
EXCERPT_PAGES = ("qa/localized-scleroderma-causes.html", "qa/scleroderma-treatment-concerns.html")
OVERSTATEMENT = ("令尊的病情穩定", "表示目前的治療是有效的", "the current treatment is working", "目前的治疗是有效的")


def soup(rel: str) -> BeautifulSoup:
    return BeautifulSoup((PAGES / rel).read_text("utf-8"), "lxml")


def catalog(locale: str, domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALES / locale / "LC_MESSAGES" / f"{domain}.po"))


def entry(po: polib.POFile, start: str) -> polib.POEntry:
    (e,) = [e for e in po if not e.obsolete and e.msgid.startswith(start)]
    return e


def every_shipped_text() -> list[Path]:
    return [*PAGES.rglob("*.html"), *LOCALES.rglob("*.po"), *LOCALES.rglob("*.pot")]


# -- nothing invented shown as real ----------------------------------------------------------

@pytest.mark.parametrize("rel", EXCERPT_PAGES)
def test_excerpt_pages_say_so_and_invent_no_asker_or_dates(rel: str) -> None:
    page = soup(rel)
    main = page.find("main")
    note = main.find(class_="excerpt-note")
    assert note is not None and "節錄" in note.get_text()
    # the note comes before the page's content, right after the share links
    assert note.find_previous_sibling(class_="share") is not None
    assert main.find(class_="asker") is None
    assert main.find(class_="reply-date") is None
    assert main.find("time") is None
    assert main.find(class_="question-title") is None


def test_physician_words_on_excerpt_pages_are_the_seeds_and_stop_where_it_stops() -> None:
    # Dr. Yang Kunde's and Dr. Huang Ruiyun's replies are exactly the text the Similar-Q&A list of
    # seed 000's page shows for them (the seed's own lines), nothing more.
    medication = soup("qa/localized-scleroderma-medication.html")
    shown = {}
    for li in medication.select(".similar li"):
        doctor = li.find(class_="doctor").get_text()
        shown[doctor] = [p.get_text() for p in li.find_all("p", class_=False)]
    for rel, doctor in ((EXCERPT_PAGES[1], "楊焜德醫師回覆"), (EXCERPT_PAGES[0], "黃瑞雲醫師回覆")):
        answer = soup(rel).find(class_="answer")
        assert answer.find(class_="doctor").get_text() == doctor
        assert [p.get_text() for p in answer.find_all("p", class_=False)] == shown[doctor]
    # the seed cuts Dr. Yang's reply off; so does the page
    assert "Therefore, treatment a..." in SEED_000
    assert shown["楊焜德醫師回覆"][0].endswith("因此治療方式……")


def test_question_excerpt_is_the_seeds_opening() -> None:
    question = soup(EXCERPT_PAGES[1]).find(class_="question")
    (text,) = [p.get_text() for p in question.find_all("p")]
    assert text.endswith("需要依賴大量藥物……")
    assert "and he relies on a large number of medications take..." in SEED_000


@pytest.mark.parametrize("rel", ["articles/morphea.html", "articles/mycophenolate-mofetil.html"])
def test_articles_not_from_a_seed_are_labelled_as_samples(rel: str) -> None:
    byline = soup(rel).find(class_="byline")
    assert "sample-note" in byline["class"]
    assert byline.get_text().startswith("Sample article written for this demo, not published by Scleroderma News")
    domain = rel.removesuffix(".html").replace("/", ".")
    assert "範例文章" in entry(catalog("zh_TW", domain), "Sample article").msgstr
    assert "示例文章" in entry(catalog("zh_CN", domain), "Sample article").msgstr


def test_seed_article_has_no_invented_byline_or_date() -> None:
    # seed 001 names no author and no date
    byline = soup("articles/immunosuppressants.html").find(class_="byline")
    assert byline.get_text() == "From Scleroderma News" and byline.find("time") is None


@pytest.mark.parametrize("path", every_shipped_text(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_overstating_sentence_and_no_invented_askers(path: Path) -> None:
    text = path.read_text("utf-8")
    for s in (*OVERSTATEMENT, "陳先生", "林小姐", "Mr. Chen", "Ms. Lin", "陈先生", "林小姐"):
        assert s not in text, s


# -- editor's queries ----------------------------------------------------------------------

QUERIES = [
    # (page, the paragraph's start in the page's language, words the query must name)
    ("qa/localized-scleroderma-medication.html", "張先生，女性", ("張先生", "女性")),
    ("articles/immunosuppressants.html", "Results from a large-scale observational study",
     ("12 years", "12 months", "Ann Rheum Dis 2017;76:1207")),
]


@pytest.mark.parametrize(("rel", "start", "words"), QUERIES)
def test_editor_query_is_a_comment_between_elements_in_the_page(rel: str, start: str, words) -> None:
    page = soup(rel)
    queries = [c for c in page.find_all(string=lambda s: isinstance(s, Comment)) if "Editor's query" in c]
    assert len(queries) == 1
    (c,) = queries
    assert c.parent.name not in ("p", "li", "h1", "h2", "h3", "a", "span")     # not inside a unit
    following = c.find_next("p")
    assert following.get_text().startswith(start)
    for w in words:
        assert w in c or w in following.get("data-l10n-note", ""), w


@pytest.mark.parametrize(("rel", "start", "words"), QUERIES)
def test_editor_query_is_on_the_entry_in_every_catalog(rel: str, start: str, words) -> None:
    domain = rel.removesuffix(".html").replace("/", ".")
    locales = [p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{domain}.po")]
    assert len(locales) == 2
    pot = polib.pofile(str(LOCALES / "templates" / f"{domain}.pot"))
    assert "Editor's query" in entry(pot, start).comment
    for locale in locales:
        e = entry(catalog(locale, domain), start)
        assert "Editor's query" in e.comment            # #. from the page
        assert "Editor's query" in e.tcomment           # # written by the reviewer
        assert e.msgstr and "fuzzy" not in e.flags


def test_seed_wording_is_kept_in_every_language() -> None:
    # the queries are raised, not silently "fixed"
    assert "Mr. Zhang, female" in entry(catalog("en", "qa.localized-scleroderma-medication"), "張先生").msgstr
    assert "张先生，女性" in entry(catalog("zh_CN", "qa.localized-scleroderma-medication"), "張先生").msgstr
    for locale in ("zh_TW", "zh_CN"):
        assert "12年" in entry(catalog(locale, "articles.immunosuppressants"), "Results from").msgstr


def test_translator_comments_survive_an_update_that_rewrites_the_catalog(shipped_project: Path) -> None:
    page = shipped_project / "source_pages" / "articles" / "immunosuppressants.html"
    html = page.read_text("utf-8")
    page.write_text(html.replace("may require a period of time", "may need some time"), "utf-8")
    runner = CliRunner()
    for args in (["extract"], ["update"]):
        res = runner.invoke(cli, [*args, "--project", str(shipped_project)], catch_exceptions=False)
        assert res.exit_code == 0, res.output
    for locale in ("zh_TW", "zh_CN"):
        po_path = shipped_project / "locales" / locale / "LC_MESSAGES" / "articles.immunosuppressants.po"
        po = polib.pofile(str(po_path))
        assert any("fuzzy" in e.flags for e in po)           # the catalog was really rewritten
        e = entry(po, "Results from")
        assert e.tcomment.startswith("Editor's query") and "Editor's query" in e.comment
        assert "# Editor's query" in po_path.read_text("utf-8")


# -- polish ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(LOCALES.glob("en/LC_MESSAGES/*.po")), ids=lambda p: p.name)
def test_english_polish(path: Path) -> None:
    text = "".join(e.msgstr for e in polib.pofile(str(path)))
    for wrong in ("Share to", "Ask Date", "Reply Date", "physician replies"):
        assert wrong not in text, wrong


@pytest.mark.parametrize("path", sorted(LOCALES.glob("zh_CN/LC_MESSAGES/*.po")), ids=lambda p: p.name)
def test_mainland_polish(path: Path) -> None:
    po = polib.pofile(str(path))
    for e in po:
        if "title" in e.comment.split(", ") and "｜" in e.msgid + e.msgstr or " | " in e.msgid:
            assert " | " not in e.msgstr and "｜" in e.msgstr, e.msgstr
        assert not re.search(r"\d,\d{3}", e.msgstr), e.msgstr
        assert "系统使用" not in e.msgstr


def _title(locale: str, rel: str) -> str:
    """The h1 of a page in a locale: the page's own text in its language, else the translation."""
    h1 = soup(rel).find("h1").get_text()
    domain = rel.removesuffix(".html").replace("/", ".")
    path = LOCALES / locale / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():                       # the page is written in this locale
        return h1
    (e,) = [e for e in polib.pofile(str(path)) if e.msgid == h1]
    return e.msgstr


@pytest.mark.parametrize("locale", ["zh_TW", "zh_CN"])
def test_qa_links_name_the_title_of_the_page_they_lead_to(locale: str) -> None:
    checked = 0
    for article in sorted(PAGES.glob("articles/*.html")):
        rel = str(article.relative_to(PAGES))
        po = catalog(locale, rel.removesuffix(".html").replace("/", "."))
        for a in soup(rel).select(".related a[href^='../qa/']"):
            target = "qa/" + a["href"].split("/")[-1]
            link = entry(po, f"<a1>{a.get_text()}</a1>").msgstr
            assert _title(locale, target) in link, (rel, link)
            checked += 1
    assert checked == 3
