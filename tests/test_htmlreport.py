"""The reviewer's HTML report and the completeness chart: self-contained, grouped,
highlighted, escaped, deterministic. (The browser tests click its filters.)"""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from l10n.catalogs import Stats
from l10n.htmlreport import CatalogRow, catalog_rows, highlight, html_report, stats_html
from l10n.model import Finding, Severity

TW = "locales/zh_TW/LC_MESSAGES/articles.morphea.po"
CN = "locales/zh_CN/LC_MESSAGES/articles.morphea.po"

FINDINGS = [
    Finding("GL002", Severity.ERROR, TW, 12, 'forbidden term: msgstr uses "硬皮病"', "Localized scleroderma",
            "局部硬皮病", "硬皮病", "zh_TW"),
    Finding("GL002", Severity.ERROR, TW, 30, 'forbidden term: msgstr uses "硬皮病"', "Systemic scleroderma",
            "全身性硬皮病", "硬皮病", "zh_TW"),
    Finding("GL005", Severity.WARNING, CN, 40, "number changed: 5 mg became 50 mg", "Take 5 mg",
            "服用 50 mg", "50 mg", "zh_CN"),
    Finding("GL011", Severity.INFO, CN, 52, "half-width comma in Chinese text", "Yes, twice",
            "是,两次", ",", "zh_CN"),
]
STATS = [
    ("source_pages/articles/morphea.html", "zh_TW", TW, Stats(20, 3, 7)),
    ("source_pages/articles/morphea.html", "zh_CN", CN, Stats(30, 0, 0)),
    ("source_pages/qa/x.html", "zh_CN", "locales/zh_CN/LC_MESSAGES/qa.x.po", Stats(1, 1, 8)),
]


class FakeRule:
    def __init__(self, code, name, severity, summary):
        self.code, self.name, self.severity, self.summary = code, name, severity, summary

    def explain(self):
        return f"{self.code} {self.name}\n\n{self.summary}\n\nAnti-pattern: <bad> & worse\n"


RULES = [FakeRule("GL002", "forbidden-term", Severity.ERROR, "Forbidden term used in msgstr."),
         FakeRule("GL005", "number-mismatch", Severity.WARNING, "Numbers differ."),
         FakeRule("GL011", "cjk-punctuation", Severity.INFO, "Half-width punctuation.")]


@pytest.fixture(scope="module")
def report():
    return html_report(FINDINGS, STATS, RULES)


def soup(html):
    return BeautifulSoup(html, "lxml")


def test_report_is_self_contained(report):
    s = soup(report)
    assert not s.select("link, script[src], img, iframe, object, embed")
    assert not re.search(r"https?://|@import|url\(", report)
    assert s.select("style") and s.select("script")          # inline only


def test_findings_grouped_by_catalog_then_rule(report):
    s = soup(report)
    cats = s.select("section.catalog")
    assert [c["data-path"] for c in cats] == [CN, TW]
    assert [g["data-rule"] for g in cats[0].select("section.rule-group")] == ["GL005", "GL011"]
    tw_groups = cats[1].select("section.rule-group")
    assert [g["data-rule"] for g in tw_groups] == ["GL002"]
    assert len(tw_groups[0].select("article.finding")) == 2


def test_each_finding_shows_msgid_highlighted_msgstr_explanation_and_location(report):
    s = soup(report)
    f = s.select('article.finding[data-rule="GL002"]')[0]
    assert f["data-severity"] == "error"
    assert f.select_one(".msgid").get_text() == "Localized scleroderma"
    msgstr = f.select_one(".msgstr")
    assert msgstr.get_text() == "局部硬皮病" and msgstr["lang"] == "zh-Hant-TW"
    assert [m.get_text() for m in msgstr.select("mark.term")] == ["硬皮病"]
    assert f.select_one("code.where").get_text() == f"{TW}:12"
    group = f.find_parent("section", class_="rule-group")
    explain = group.select_one("details.explain pre").get_text()
    assert "Forbidden term used in msgstr." in explain and "<bad> & worse" in explain


def test_per_locale_summary_has_progress_bars_and_counts_by_severity(report):
    s = soup(report)
    rows = {r["data-locale"]: r for r in s.select("table.summary tbody tr")}
    assert set(rows) == {"zh_CN", "zh_TW"}
    tw = rows["zh_TW"]
    widths = {sp["class"][0]: sp["style"] for sp in tw.select(".stack > span")}
    assert widths == {"t": "width:66.67%", "f": "width:10.00%", "u": "width:23.33%"}
    counts = {td["data-severity-count"]: td.get_text() for td in tw.select("td[data-severity-count]")}
    assert counts == {"error": "2", "warning": "0", "info": "0"}
    cn = {td["data-severity-count"]: td.get_text() for td in rows["zh_CN"].select("td[data-severity-count]")}
    assert cn == {"error": "0", "warning": "1", "info": "1"}


def test_filters_offer_every_severity_and_rule(report):
    s = soup(report)
    assert [i["value"] for i in s.select('#filters input[name="severity"]')] == ["error", "warning", "info"]
    assert [o["value"] for o in s.select("#rule-filter option")] == ["", "GL002", "GL005", "GL011"]


def test_completeness_chart_per_page_and_locale(report):
    s = soup(report)
    cells = {(td.find_parent("tr").th.get_text(), td["data-locale"]): td["data-percent"]
             for td in s.select("#completeness td[data-locale]")}
    assert cells == {("source_pages/articles/morphea.html", "zh_CN"): "100.0",
                     ("source_pages/articles/morphea.html", "zh_TW"): "66.7",
                     ("source_pages/qa/x.html", "zh_CN"): "10.0"}


def test_untrusted_text_is_escaped():
    evil = Finding("GL012", Severity.ERROR, '<img src=x onerror=alert(1)>.po', 1, "<script>alert(1)</script>",
                   "<b>hi</b>", '<img src=x onerror="alert(2)">', "<img", "zh_TW")
    html = html_report([evil], {}, [])
    s = soup(html)
    assert not s.select("img, b") and len(s.select("script")) == 1     # only the report's own
    assert s.select_one(".message").get_text() == "<script>alert(1)</script>"
    assert s.select_one(".msgstr mark").get_text() == "<img"


def test_deterministic_and_order_independent():
    assert html_report(FINDINGS, STATS, RULES) == html_report(list(reversed(FINDINGS)), STATS[::-1], RULES)


def test_default_rules_come_from_the_checks_package():
    pytest.importorskip("l10n.checks")
    from l10n.checks import get_rule
    html = html_report(FINDINGS[:1], STATS)
    assert get_rule("GL002").summary in soup(html).get_text()      # the page text: quotes are escaped in the HTML
    assert "Anti-pattern" in soup(html).select_one("details.explain pre").get_text()


def test_no_findings():
    s = soup(html_report([], STATS, RULES))
    assert s.select_one("p.clean") and not s.select("article.finding") and not s.select("#filters")


def test_catalog_rows_accepts_the_shapes_callers_have():
    a = catalog_rows({TW: Stats(1, 2, 3)})
    assert a == [CatalogRow(TW, "zh_TW", "", 1, 2, 3)]
    assert catalog_rows([(TW, Stats(1, 2, 3))]) == a
    assert catalog_rows(STATS)[0].page == "source_pages/articles/morphea.html"

    class Rep:
        path, stats = CN, Stats(4, 0, 0)
    assert catalog_rows([Rep()]) == [CatalogRow(CN, "zh_CN", "", 4, 0, 0)]


def test_highlight_is_case_insensitive_for_latin_terms_only():
    assert highlight("Use Protopic, not protopic", "protopic") == (
        'Use <mark class="term">Protopic</mark>, not <mark class="term">protopic</mark>', 2)
    assert highlight("a < b", "") == ("a &lt; b", 0)


def test_stats_html_is_a_chart_of_every_page_and_locale():
    html = stats_html(STATS)
    s = soup(html)
    assert not s.select("script, link") and not re.search(r"https?://", html)
    assert len(s.select("#completeness td[data-locale]")) == 3
    assert len(s.select("#completeness td.none")) == 1          # qa/x.html has no zh_TW catalog
    assert s.select("table.summary tbody tr")


def test_check_runs_catalog_triples_chart_by_domain():
    rows = [(TW, "zh_TW", Stats(3, 0, 1)), (CN, "zh_CN", Stats(4, 0, 0))]
    assert catalog_rows(rows)[0] == CatalogRow(CN, "zh_CN", "", 4, 0, 0)
    s = soup(html_report([], rows, []))
    cells = {(td.find_parent("tr").th.get_text(), td["data-locale"]): td["data-percent"]
             for td in s.select("#completeness td[data-locale]")}
    assert cells == {("articles.morphea", "zh_CN"): "100.0", ("articles.morphea", "zh_TW"): "75.0"}
