"""The reviewer's report: findings and completeness as one self-contained HTML file.

``html_report(findings, catalog_stats, rules)`` is what ``l10n check --format
html`` writes; ``stats_html(rows)`` is what ``l10n stats --format html``
writes, from the templates ``report.html`` and ``stats.html`` (with
``report_layout.html`` and ``report_macros.html``; a project may override them, see
:mod:`l10n.templating`). Both are pure functions returning text: inline CSS and JavaScript, no
network (no external stylesheet, script, font or image), deterministic for the
same input. Without JavaScript every finding is shown; with it the findings can
be filtered by severity and by rule.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Iterable, Mapping, Sequence

from .html.escape import esc_text
from .locales import bcp47, native_name
from .model import Completeness, Finding
from .templating import Templates, templates_for

__all__ = ["html_report", "stats_html", "CatalogRow", "catalog_rows"]

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class CatalogRow(Completeness):
    """One catalog's statistics, whatever shape the caller had them in."""

    path: str
    locale: str
    page: str
    translated: int
    fuzzy: int
    untranslated: int


def _locale_of_path(path: str) -> str:
    parts = PurePosixPath(str(path).replace("\\", "/")).parts
    if "LC_MESSAGES" in parts:
        i = parts.index("LC_MESSAGES")
        if i > 0:
            return parts[i - 1]
    return ""


def _row(page: str, locale: str, path: str, st: Any) -> CatalogRow:
    return CatalogRow(str(path), str(locale or _locale_of_path(str(path))), str(page or ""),
                      int(getattr(st, "translated", 0)), int(getattr(st, "fuzzy", 0)),
                      int(getattr(st, "untranslated", 0)))


def catalog_rows(catalog_stats: Any) -> list[CatalogRow]:
    """Normalize catalog statistics to rows, sorted by locale and path.

    Accepted: ``{path: Stats}``; ``[(page, locale, path, Stats)]`` (what
    :func:`l10n.project.project_stats` returns); ``[(path, locale, Stats)]`` (what
    :func:`l10n.project.check_project` collects); ``[(path, Stats)]``; objects
    with ``path`` and ``stats`` (and optionally ``locale``, ``page``)
    attributes, such as compile reports; or :class:`CatalogRow` objects.
    """
    if not catalog_stats:
        return []
    rows: list[CatalogRow] = []
    items = catalog_stats.items() if isinstance(catalog_stats, Mapping) else catalog_stats
    for it in items:
        if isinstance(it, CatalogRow):
            rows.append(it)
        elif isinstance(it, tuple) and len(it) == 4:
            rows.append(_row(it[0], it[1], it[2], it[3]))
        elif isinstance(it, tuple) and len(it) == 3:
            rows.append(_row("", it[1], it[0], it[2]))
        elif isinstance(it, tuple) and len(it) == 2:
            rows.append(_row("", "", it[0], it[1]))
        elif hasattr(it, "stats"):
            rows.append(_row(getattr(it, "page", ""), getattr(it, "locale", ""), getattr(it, "path", ""), it.stats))
        elif hasattr(it, "translated"):
            rows.append(_row(getattr(it, "page", ""), getattr(it, "locale", ""), getattr(it, "path", ""), it))
    return sorted(rows, key=lambda r: (r.locale, r.path))


def _rules_by_code(rules: Any) -> dict[str, Any]:
    if rules is None:
        try:
            from .checks import RULES as rules   # noqa: N811
        except Exception:  # noqa: BLE001 - the report still works without rule docs
            return {}
    if isinstance(rules, Mapping):
        return dict(rules)
    return {getattr(r, "code", ""): r for r in rules}


def _sev(f: Finding) -> str:
    s = f.severity
    return str(getattr(s, "value", s)).lower()


def _lang(locale: str) -> str:
    try:
        return bcp47(locale)
    except Exception:  # noqa: BLE001 - an odd locale name just gets no lang attribute
        return ""


def _locale_label(locale: str) -> str:
    if not locale:
        return "(no locale)"
    try:
        return f"{locale} · {native_name(locale)}"
    except Exception:  # noqa: BLE001
        return locale


def highlight(text: str, term: str) -> tuple[str, int]:
    """``text`` as HTML with every occurrence of ``term`` in ``<mark>``; and how many."""
    if not term or not text:
        return esc_text(text), 0
    pat = re.compile(re.escape(term), re.I if term.isascii() else 0)
    out, pos, n = [], 0, 0
    for m in pat.finditer(text):
        out.append(esc_text(text[pos:m.start()]))
        out.append(f'<mark class="term">{esc_text(m.group(0))}</mark>')
        pos, n = m.end(), n + 1
    out.append(esc_text(text[pos:]))
    return "".join(out), n


# -- what the templates get ------------------------------------------------------------------

@dataclass(frozen=True)
class SummaryRow:
    """One locale in the report's summary."""

    locale: str
    label: str
    catalogs: int
    translated: int
    fuzzy: int
    untranslated: int
    pct: str
    severities: dict[str, int]


@dataclass(frozen=True)
class ChartLocale:
    locale: str
    lang: str
    label: str


@dataclass(frozen=True)
class ChartPage:
    name: str
    cells: tuple[CatalogRow | None, ...]     # one a locale of the chart, None: no catalog


@dataclass(frozen=True)
class Chart:
    """Completeness per page (rows) and locale (columns)."""

    locales: tuple[ChartLocale, ...]
    pages: tuple[ChartPage, ...]


def _pct(p: float) -> str:
    return f"{int(p)}%"          # floor: 99.6% is not complete


def _summary(rows: Sequence[CatalogRow], findings: Sequence[Finding]) -> list[SummaryRow]:
    by_loc: dict[str, list[int]] = {}
    for r in rows:
        t = by_loc.setdefault(r.locale, [0, 0, 0, 0])
        t[0] += r.translated
        t[1] += r.fuzzy
        t[2] += r.untranslated
        t[3] += 1
    sev: dict[str, Counter] = {}
    for f in findings:
        loc = f.locale or _locale_of_path(f.path)
        sev.setdefault(loc, Counter())[_sev(f)] += 1
        by_loc.setdefault(loc, [0, 0, 0, 0])
    out = []
    for loc in sorted(by_loc):
        t, fz, u, n = by_loc[loc]
        total = t + fz + u
        out.append(SummaryRow(loc, _locale_label(loc), n, t, fz, u, _pct(100.0 if total == 0 else 100.0 * t / total),
                              dict(sev.get(loc, Counter()))))
    return out


def _chart(rows: Sequence[CatalogRow]) -> Chart:
    rows = [r for r in rows if r.locale]
    locales = sorted({r.locale for r in rows})
    pages: dict[str, dict[str, CatalogRow]] = {}
    for r in rows:
        pages.setdefault(r.page or PurePosixPath(r.path).stem, {})[r.locale] = r   # else: the domain
    return Chart(tuple(ChartLocale(lo, _lang(lo), _locale_label(lo)) for lo in locales),
                 tuple(ChartPage(p, tuple(pages[p].get(lo) for lo in locales)) for p in sorted(pages)))


def _explain(rule: Any) -> str:
    try:
        return rule.explain()
    except Exception:  # noqa: BLE001
        return getattr(rule, "summary", "")


def _finding(f: Finding) -> dict[str, Any]:
    from markupsafe import Markup
    loc = f.locale or _locale_of_path(f.path)
    lang = _lang(loc) if loc else ""
    msgstr_html, n = highlight(f.msgstr, f.term)
    msgid_html, _m = highlight(f.msgid, f.term if not n else "")
    return {"severity": _sev(f), "code": f.code, "locale": loc, "path": f.path, "line": f.line,
            "where": f"{f.path}:{f.line}" if f.line else f.path, "message": f.message, "msgid": f.msgid,
            "msgstr": f.msgstr, "term": f.term, "lang": lang,
            # a page finding has no msgstr: its text is in the page's (the finding's) locale
            "msgid_lang": lang if not f.msgstr else "",
            "msgid_html": Markup(msgid_html), "msgstr_html": Markup(msgstr_html)}


def _groups(findings: Sequence[Finding], rules: Mapping[str, Any]) -> list[dict[str, Any]]:
    by_path: dict[str, dict[str, list[Finding]]] = {}
    for f in findings:
        by_path.setdefault(f.path, {}).setdefault(f.code, []).append(f)
    out = []
    for path in sorted(by_path):
        groups = by_path[path]
        loc = next((f.locale for v in groups.values() for f in v if f.locale), "") or _locale_of_path(path)
        rule_groups = []
        for code in sorted(groups):
            rule = rules.get(code)
            items = sorted(groups[code], key=lambda f: (f.line, f.message))
            rule_groups.append({"code": code, "name": getattr(rule, "name", "") if rule else "",
                                "summary": getattr(rule, "summary", "") if rule else "",
                                "explain": _explain(rule) if rule is not None else None,
                                "findings": [_finding(f) for f in items]})
        out.append({"path": path, "label": _locale_label(loc) if loc else "",
                    "count": sum(len(v) for v in groups.values()), "rules": rule_groups})
    return out


# -- public ------------------------------------------------------------------------------

def html_report(findings: Iterable[Finding], catalog_stats: Any = (), rules: Any = None, *,
                title: str = "l10n check report", templates: "Templates | None" = None) -> str:
    """The reviewer's report as one self-contained HTML document (``report.html``).

    ``findings``: :class:`~l10n.model.Finding` objects. ``catalog_stats``: see
    :func:`catalog_rows` (e.g. ``project_stats(cfg)``). ``rules``: rule objects
    (``code``, ``name``, ``severity``, ``summary``, ``explain()``) as a list or
    ``{code: rule}``; by default ``l10n.checks.RULES``. ``templates``: a project's
    (:func:`l10n.templating.templates_for`); the shipped ones by default.
    """
    fs = sorted(findings, key=lambda f: (f.path, f.code, f.line, f.message))
    rows = catalog_rows(catalog_stats)
    by_code = _rules_by_code(rules)
    codes = Counter(f.code for f in fs)
    return (templates or templates_for(None)).render(
        "report.html", title=title, script=bool(fs), severities=SEVERITIES, findings=len(fs),
        by_severity=dict(Counter(_sev(f) for f in fs)), files=len({f.path for f in fs}), catalogs=len(rows),
        summary=_summary(rows, fs), chart=_chart(rows), groups=_groups(fs, by_code),
        filters=[(code, getattr(by_code.get(code), "name", ""), codes[code]) for code in sorted(codes)])


def stats_html(rows: Any, *, title: str = "l10n translation progress", templates: "Templates | None" = None) -> str:
    """Completeness per page and locale as a chart, in one self-contained HTML document
    (``stats.html``).

    ``rows``: what :func:`l10n.project.project_stats` returns, or anything
    :func:`catalog_rows` accepts.
    """
    rs = catalog_rows(rows)
    return (templates or templates_for(None)).render(
        "stats.html", title=title, script=False, severities=SEVERITIES, catalogs=len(rs),
        locales=len({r.locale for r in rs}), summary=_summary(rs, ()), chart=_chart(rs))
