"""The build report kept between builds: a build that reads it back (no-op, delta) reports columns
(:class:`l10n.build.report.Column`) that read as the lists and tuples a full build reports, and
:func:`l10n.build.report.having` finds from a column's index the rows a plain filter finds."""
from __future__ import annotations

import pickle
import re

from l10n.build.report import Column, having
from l10n.build.run import build
from l10n.config import load_config
from reliability_project import translated_project


def test_a_noop_report_reads_as_the_full_builds(tmp_path):
    root = translated_project(tmp_path)                 # built
    cfg = load_config(root)
    po = root / "locales" / "zh_CN" / "LC_MESSAGES" / "treatment.po"
    text = po.read_text("utf-8")
    po.write_text(re.sub(r'msgstr "([^"]*)<a1>', r'msgstr "\1<a9>', text, count=1), "utf-8")  # a compile error
    build(cfg)
    full = build(cfg, force=True)           # writes nothing: the flags a no-op reports
    again = build(cfg)
    assert isinstance(again.update, Column) and isinstance(again.render.pages, Column)
    assert isinstance(full.update, list)
    assert again.update == full.update and full.update == again.update
    assert again.compile == full.compile and again.render.pages == full.render.pages
    assert again.render == full.render
    for col, name, value in [("update", "written", True), ("compile", "errors", True),
                             ("compile", "held", True), ("compile", "written", True)]:
        mine, theirs = getattr(again, col), getattr(full, col)
        assert having(mine, name, value) == [x for x in theirs if bool(getattr(x, name)) is value]
    assert any(c.errors for c in full.compile)
    assert len(having(again.compile, "errors")) == sum(1 for c in full.compile if c.errors) >= 1
    assert again.render.unpublished == tuple(p for p in full.render.pages if not p.published)
    assert pickle.loads(pickle.dumps(again.update)) == list(full.update)


def test_a_column_reads_its_rows_only_when_asked():
    made = []

    def one(j: int) -> tuple:
        made.append(j)
        return (j, j in (3, 7))

    col = Column(10, lambda: [one(j) for j in range(10)], one, {("flag", True): lambda: [3, 7]})
    assert len(col) == 10 and made == []
    assert col.having("flag") == [(3, True), (7, True)] and made == [3, 7]     # a few: one by one
    assert col[4] == (4, False) and col == [(j, j in (3, 7)) for j in range(10)]
    assert col != [(0, False)] and col == tuple(col)
    many = Column(10, lambda: [one(j) for j in range(10)], one, {("flag", False): lambda: [0, 1, 2, 4, 5]})
    made.clear()
    assert many.having("flag", False) == [(j, False) for j in (0, 1, 2, 4, 5)] and made == list(range(10))
