"""The reviewer's report: findings and completeness as one self-contained HTML file.

``html_report(findings, catalog_stats, rules)`` is what ``l10n check --format
html`` writes; ``stats_html(rows)`` is what ``l10n stats --format html``
writes. Both are pure functions returning text: inline CSS and JavaScript, no
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

from .html.walker import esc_attr, esc_text
from .locales import bcp47, display_name
from .model import Completeness, Finding

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
        return f"{locale} · {display_name(locale)}"
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


# -- pieces ---------------------------------------------------------------------------

def _stack(translated: int, fuzzy: int, untranslated: int) -> str:
    """A stacked bar: translated, fuzzy, untranslated."""
    total = translated + fuzzy + untranslated
    if total == 0:
        return '<span class="stack" role="img" aria-label="no messages"><span class="t" style="width:100%"></span></span>'
    parts = []
    for cls, n in (("t", translated), ("f", fuzzy), ("u", untranslated)):
        if n:
            parts.append(f'<span class="{cls}" style="width:{100.0 * n / total:.2f}%"></span>')
    label = f"{translated} translated, {fuzzy} fuzzy, {untranslated} untranslated"
    return f'<span class="stack" role="img" aria-label="{label}" title="{label}">{"".join(parts)}</span>'


def _pct(p: float) -> str:
    return f"{int(p)}%"          # floor: 99.6% is not complete


def _locale_summary(rows: Sequence[CatalogRow], findings: Sequence[Finding]) -> str:
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
    if not by_loc:
        return ""
    out = ['<section id="summary"><h2>Per locale</h2>',
           '<table class="summary"><thead><tr><th scope="col">Locale</th><th scope="col">Catalogs</th>'
           '<th scope="col" class="wide">Progress</th><th scope="col">Translated</th><th scope="col">Fuzzy</th>'
           '<th scope="col">Untranslated</th>'
           + "".join(f'<th scope="col" class="sev-{s}">{s.capitalize()}s</th>' for s in SEVERITIES)
           + "</tr></thead><tbody>"]
    for loc in sorted(by_loc):
        t, fz, u, n = by_loc[loc]
        total = t + fz + u
        pct = 100.0 if total == 0 else 100.0 * t / total
        c = sev.get(loc, Counter())
        out.append(f'<tr data-locale="{esc_attr(loc)}"><th scope="row">{esc_text(_locale_label(loc))}</th>'
                   f"<td>{n}</td><td class=\"wide\">{_stack(t, fz, u)} <span class=\"pct\">{_pct(pct)}</span></td>"
                   f"<td>{t}</td><td>{fz}</td><td>{u}</td>"
                   + "".join(f'<td class="sev-{s}" data-severity-count="{s}">{c.get(s, 0)}</td>'
                             for s in SEVERITIES) + "</tr>")
    out.append("</tbody></table>")
    out.append('<p class="legend"><span class="key t"></span> translated <span class="key f"></span> fuzzy '
               '<span class="key u"></span> untranslated</p></section>')
    return "\n".join(out)


def _page_chart(rows: Sequence[CatalogRow]) -> str:
    """Completeness per page (rows) and locale (columns), as bars."""
    rows = [r for r in rows if r.locale]
    if not rows:
        return ""
    locales = sorted({r.locale for r in rows})
    pages: dict[str, dict[str, CatalogRow]] = {}
    for r in rows:
        pages.setdefault(r.page or PurePosixPath(r.path).stem, {})[r.locale] = r   # else: the domain
    out = ['<section id="completeness"><h2>Completeness per page and locale</h2>',
           '<table class="chart"><thead><tr><th scope="col">Page</th>'
           + "".join(f'<th scope="col" lang="{_lang(lo)}">{esc_text(_locale_label(lo))}</th>' for lo in locales)
           + "</tr></thead><tbody>"]
    for page in sorted(pages):
        cells = []
        for lo in locales:
            r = pages[page].get(lo)
            if r is None:
                cells.append('<td class="none">—</td>')
            else:
                cells.append(f'<td data-locale="{esc_attr(lo)}" data-percent="{r.percent:.1f}">'
                             f'{_stack(r.translated, r.fuzzy, r.untranslated)} '
                             f'<span class="pct">{_pct(r.percent)}</span></td>')
        out.append(f'<tr><th scope="row"><code>{esc_text(page)}</code></th>{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    out.append('<p class="legend"><span class="key t"></span> translated <span class="key f"></span> fuzzy '
               '<span class="key u"></span> untranslated</p></section>')
    return "\n".join(out)


def _explain(rule: Any) -> str:
    try:
        text = rule.explain()
    except Exception:  # noqa: BLE001
        text = getattr(rule, "summary", "")
    return f'<details class="explain"><summary>About this rule</summary><pre>{esc_text(text)}</pre></details>'


def _finding_html(f: Finding) -> str:
    sev = _sev(f)
    loc = f.locale or _locale_of_path(f.path)
    lang = _lang(loc) if loc else ""
    where = f"{f.path}:{f.line}" if f.line else f.path
    out = [f'<article class="finding sev-{esc_attr(sev)}" data-severity="{esc_attr(sev)}" '
           f'data-rule="{esc_attr(f.code)}" data-locale="{esc_attr(loc)}">',
           f'<p class="head"><span class="badge sev-{esc_attr(sev)}">{esc_text(sev)}</span> '
           f'<span class="code">{esc_text(f.code)}</span> '
           f'<code class="where" data-path="{esc_attr(f.path)}" data-line="{f.line}">{esc_text(where)}</code></p>',
           f'<p class="message">{esc_text(f.message)}</p>']
    msgstr_html, n = highlight(f.msgstr, f.term)
    msgid_html, m = highlight(f.msgid, f.term if not n else "")
    la = f' lang="{lang}"' if lang else ""
    if f.msgid:
        # a page finding has no msgstr: its text is in the page's (the finding's) locale
        mid_lang = la if not f.msgstr else ""
        out.append(f'<div class="pair"><span class="label">msgid</span><div class="text msgid"{mid_lang}>'
                   f"{msgid_html}</div>")
        if f.msgstr:
            out.append(f'<span class="label">msgstr</span><div class="text msgstr"{la}>{msgstr_html}</div>')
        out.append("</div>")
    if f.term:
        out.append(f'<p class="term-line">term: <mark class="term"{la}>{esc_text(f.term)}</mark></p>')
    out.append("</article>")
    return "\n".join(out)


def _findings_html(findings: Sequence[Finding], rules: Mapping[str, Any]) -> str:
    if not findings:
        return '<section id="findings"><h2>Findings</h2><p class="clean">No findings.</p></section>'
    by_path: dict[str, dict[str, list[Finding]]] = {}
    for f in findings:
        by_path.setdefault(f.path, {}).setdefault(f.code, []).append(f)
    out = ['<section id="findings"><h2>Findings <span class="muted">(<span id="shown">'
           f'{len(findings)}</span> of {len(findings)} shown)</span></h2>']
    for path in sorted(by_path):
        groups = by_path[path]
        n = sum(len(v) for v in groups.values())
        loc = next((f.locale for v in groups.values() for f in v if f.locale), "") or _locale_of_path(path)
        out.append(f'<section class="catalog" data-path="{esc_attr(path)}">')
        out.append(f'<h3><code>{esc_text(path)}</code> <span class="muted">{esc_text(_locale_label(loc)) if loc else ""}'
                   f" · {n} finding{'s' if n != 1 else ''}</span></h3>")
        for code in sorted(groups):
            items = sorted(groups[code], key=lambda f: (f.line, f.message))
            rule = rules.get(code)
            name = getattr(rule, "name", "") if rule else ""
            summary = getattr(rule, "summary", "") if rule else ""
            out.append(f'<section class="rule-group" data-rule="{esc_attr(code)}">')
            out.append(f'<h4><span class="code">{esc_text(code)}</span> {esc_text(name)}'
                       f'{" — " + esc_text(summary) if summary else ""} '
                       f'<span class="muted">({len(items)})</span></h4>')
            if rule is not None:
                out.append(_explain(rule))
            out.extend(_finding_html(f) for f in items)
            out.append("</section>")
        out.append("</section>")
    out.append("</section>")
    return "\n".join(out)


def _filters(findings: Sequence[Finding], rules: Mapping[str, Any]) -> str:
    if not findings:
        return ""
    sev = Counter(_sev(f) for f in findings)
    codes = Counter(f.code for f in findings)
    boxes = "".join(
        f'<label class="sev-{s}"><input type="checkbox" name="severity" value="{s}" checked> '
        f'{s} (<span data-count="{s}">{sev.get(s, 0)}</span>)</label> ' for s in SEVERITIES)
    opts = ['<option value="">all rules</option>']
    for code in sorted(codes):
        name = getattr(rules.get(code), "name", "")
        opts.append(f'<option value="{esc_attr(code)}">{esc_text(code)}{" " + esc_text(name) if name else ""}'
                    f" ({codes[code]})</option>")
    return ('<form id="filters" class="filters" onsubmit="return false">'
            f'<fieldset><legend>Severity</legend>{boxes}</fieldset>'
            f'<label>Rule <select id="rule-filter" name="rule">{"".join(opts)}</select></label>'
            "</form>")


_STYLE = """
:root{--t:#1a7f37;--f:#bf8700;--u:#d0d7de;--err:#cf222e;--warn:#9a6700;--info:#0969da;--line:#d8dee4;--muted:#59636e}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans CJK TC","Noto Sans CJK SC","Noto Sans TC","Noto Sans SC","PingFang TC","Microsoft JhengHei",sans-serif;
color:#1f2328;overflow-wrap:anywhere}
:lang(zh-Hans){font-family:system-ui,"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
h1{font-size:1.5rem;margin:.25rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1.25rem 0 .25rem}h4{font-size:.95rem;margin:.75rem 0 .25rem}
.muted,.legend{color:var(--muted);font-weight:normal}
table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}
th,td{padding:.3rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
td{white-space:nowrap}
thead th{white-space:nowrap;overflow-wrap:normal}
.stack{display:inline-flex;width:10rem;max-width:40vw;height:.75rem;background:var(--u);border-radius:.2rem;
overflow:hidden;vertical-align:middle}
.stack>span{display:block;height:100%}.stack .t,.key.t{background:var(--t)}.stack .f,.key.f{background:var(--f)}
.stack .u,.key.u{background:var(--u)}
.key{display:inline-block;width:.8rem;height:.8rem;vertical-align:middle;border-radius:.15rem}
.pct{font-variant-numeric:tabular-nums}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid var(--line);
display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;z-index:1}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
.filters legend{float:left;margin-right:.5rem;font-weight:600}
.catalog{margin:1rem 0;padding:.25rem .75rem;border:1px solid var(--line);border-radius:.4rem}
.finding{border-left:4px solid var(--line);padding:.25rem .75rem;margin:.5rem 0;background:#f6f8fa}
.finding.sev-error{border-left-color:var(--err)}.finding.sev-warning{border-left-color:var(--warn)}
.finding.sev-info{border-left-color:var(--info)}
.finding p{margin:.2rem 0}
.badge{display:inline-block;padding:0 .4rem;border-radius:1rem;color:#fff;font-size:.8rem}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}.badge.sev-info{background:var(--info)}
.code{font-family:ui-monospace,monospace;font-weight:600}
.pair{display:grid;grid-template-columns:4.5rem 1fr;gap:.1rem .5rem;margin:.3rem 0}
.label{font-family:ui-monospace,monospace;color:var(--muted);font-size:.85rem}
.text{white-space:pre-wrap}
mark.term{background:#ffd33d;padding:0 .1rem;border-radius:.15rem;outline:1px solid #bf8700}
.explain pre{white-space:pre-wrap;background:#fff;border:1px solid var(--line);padding:.5rem;font-size:.85rem}
[hidden]{display:none!important}
"""

_SCRIPT = """
(function(){
  var form=document.getElementById('filters'); if(!form) return;
  var boxes=form.querySelectorAll('input[name=severity]'), rule=document.getElementById('rule-filter');
  function apply(){
    var sev={}; boxes.forEach(function(b){ if(b.checked) sev[b.value]=1; });
    var r=rule.value, shown=0;
    document.querySelectorAll('.finding').forEach(function(f){
      var ok=!!sev[f.dataset.severity] && (!r || f.dataset.rule===r);
      f.hidden=!ok; if(ok) shown++;
    });
    document.querySelectorAll('.rule-group,.catalog').forEach(function(g){
      g.hidden=!g.querySelector('.finding:not([hidden])');
    });
    var s=document.getElementById('shown'); if(s) s.textContent=shown;
  }
  form.addEventListener('change',apply); apply();
})();
"""


def _document(title: str, body: str, *, script: bool) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc_text(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"{body}\n" + (f"<script>{_SCRIPT}</script>\n" if script else "") + "</body>\n</html>\n")


# -- public ------------------------------------------------------------------------------

def html_report(findings: Iterable[Finding], catalog_stats: Any = (), rules: Any = None, *,
                title: str = "l10n check report") -> str:
    """The reviewer's report as one self-contained HTML document.

    ``findings``: :class:`~l10n.model.Finding` objects. ``catalog_stats``: see
    :func:`catalog_rows` (e.g. ``project_stats(cfg)``). ``rules``: rule objects
    (``code``, ``name``, ``severity``, ``summary``, ``explain()``) as a list or
    ``{code: rule}``; by default ``l10n.checks.RULES``.
    """
    fs = sorted(findings, key=lambda f: (f.path, f.code, f.line, f.message))
    rows = catalog_rows(catalog_stats)
    by_code = _rules_by_code(rules)
    sev = Counter(_sev(f) for f in fs)
    counts = ", ".join(f'<span class="sev-{s}">{sev.get(s, 0)} {s}{"s" if sev.get(s, 0) != 1 else ""}</span>'
                       for s in SEVERITIES)
    body = [f"<header><h1>{esc_text(title)}</h1>",
            f'<p class="muted">{len(fs)} finding{"s" if len(fs) != 1 else ""} ({counts}) '
            f"in {len({f.path for f in fs})} file(s); {len(rows)} catalog(s).</p></header>",
            _locale_summary(rows, fs),
            _filters(fs, by_code),
            _findings_html(fs, by_code),
            _page_chart(rows)]
    return _document(title, "\n".join(b for b in body if b), script=bool(fs))


def stats_html(rows: Any, *, title: str = "l10n translation progress") -> str:
    """Completeness per page and locale as a chart, in one self-contained HTML document.

    ``rows``: what :func:`l10n.project.project_stats` returns, or anything
    :func:`catalog_rows` accepts.
    """
    rs = catalog_rows(rows)
    body = [f"<header><h1>{esc_text(title)}</h1>",
            f'<p class="muted">{len(rs)} catalog(s), {len({r.locale for r in rs})} locale(s).</p></header>',
            _locale_summary(rs, ()), _page_chart(rs) or "<p>No catalogs.</p>"]
    return _document(title, "\n".join(b for b in body if b), script=False)
