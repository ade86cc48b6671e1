"""The delta build's site around the pages: the index lines of the versions rendered again, the
locale indexes whose lines changed, the language picker, the sitemap and the assets (one job)."""
from __future__ import annotations

import os
from bisect import bisect_left
from pathlib import Path
from typing import TYPE_CHECKING

from ..pages import LazySkeleton
from .render import RenderRec
from .state import key2, split2

if TYPE_CHECKING:
    from ..pages import Page
    from .report import StatsTable


class Fallback(Exception):
    """The delta build cannot tell: plan in full."""


class DeltaSite:
    """The site-files half of :class:`l10n.build.delta.Delta` (which holds the state it reads:
    ``cfg``, ``store``, ``rows``, ``head``, ``assets``, the render rows read and written, the
    products touched)."""

    def _extras(self, flips: list, stats_t: "StatsTable") -> int:
        """The index lines of the versions rendered again; the indexes whose lines changed; the
        language picker when a count did; the sitemap when a status did; the assets when one
        changed. What went missing is written again. The number of files written."""
        from ..site import stylesheets_of
        cfg = self.cfg
        css = stylesheets_of(cfg, [cfg.source_dir / a for a in self.assets])
        n = self._assets_again()
        new_lines = self._new_index_lines()
        if new_lines is None:
            return n + self._all_extras(css)
        old_counts = self.head["counts"]
        counts = self.head["counts"] = self.rows.counts(cfg) if flips else old_counts
        written = self._write_indexes(new_lines, css)
        if written is None:
            return n + self._all_extras(css)       # lines lost: the whole site's extras again
        n += written
        for (loc, o), (p, h) in new_lines.items():
            self.store.put_line(loc, o, p, h)
        return n + self._root_and_sitemap(counts != old_counts, bool(flips), css)

    def _assets_again(self) -> int:
        """The assets copied to every locale folder again, when one changed."""
        from .sitefiles import write_assets
        if not self.assets_dirty:
            return 0
        cfg, out = self.cfg, self.cfg.output_dir
        n = write_assets(cfg, [cfg.source_dir / a for a in self.assets])
        self.touched.update(os.path.join(str(out), loc, a) for loc in cfg.locales for a in self.assets)
        self.touched.add(os.path.join(str(out), "l10n.css"))
        return n

    def _new_index_lines(self) -> "dict[tuple[str, str], tuple[bool, bytes]] | None":
        """(locale, site path) -> (published, the index line) of each version rendered again (a
        version held back is listed under its source version's title); None when a title is not known."""
        from ..locales import bcp47
        from ..site import IndexEntry, index_line
        cfg, store, rows = self.cfg, self.store, self.rows
        need = [(rel, self.locales[self._page_index(rel)]) for (rel, loc), rec in self.new_recs.items() if not rec.ok]
        need = [k for k in need if k not in self.new_recs and k not in self.recs]
        if need:
            got = store.get("ren", (key2(*k) for k in need))
            self.recs.update((split2(k), RenderRec(*v)) for k, v in got.items())
        new_lines: dict[tuple[str, str], tuple[bool, bytes]] = {}
        for (rel, loc), rec in self.new_recs.items():
            i = self._page_index(rel)
            src = self.locales[i]
            src_lang = bcp47(src)
            if rec.ok:
                t = rec.title
            else:
                srec = self.new_recs.get((rel, src)) or self.recs.get((rel, src))
                t = (srec.title[0], False) if srec is not None and srec.title is not None else None
            if t is None:
                return None
            title, ok = t
            j, jsrc = self._row(i, loc), self._row(i, src)
            e = IndexEntry(rows.pg_outs[j], title, None if ok else src_lang, rec.pct, rec.ok, rows.pg_outs[jsrc],
                           src_lang)
            new_lines[(loc, rows.pg_outs[j])] = (rec.ok, index_line(loc, e, cfg).encode())
        return new_lines

    def _write_indexes(self, new_lines: dict[tuple[str, str], tuple[bool, bytes]], css: list[str]) -> int | None:
        """The locale indexes with a changed line (or missing) written again; None when the stored
        lines do not match the report (lost)."""
        from ..fsutil import write_if_changed
        from ..site import index_page
        cfg, store, rows = self.cfg, self.store, self.rows
        out, locs = cfg.output_dir, list(cfg.locales)
        stored = store.some_lines(new_lines)
        dirty_locs = {k[0] for k, (p, h) in new_lines.items() if stored.get(k) != (int(p), h)}
        for r in self.extras_missing:
            if r.endswith("/index.html") and r[:-len("/index.html")] in locs:
                dirty_locs.add(r[:-len("/index.html")])
        n = 0
        for loc in locs:
            if loc not in dirty_locs:
                continue
            lines = store.lines(loc)
            if len(lines) != rows.pg_locs.count(loc):
                return None
            outputs = [o for o, _p, _h in lines]       # in order: the changed ones found by bisection
            for (lo, o), (p, h) in new_lines.items():
                if lo == loc:
                    k = bisect_left(outputs, o)
                    if k == len(outputs) or outputs[k] != o:
                        return None
                    lines[k] = (o, p, h)
            n += write_if_changed(out / loc / "index.html",
                                  index_page(cfg, loc, lines, locs, stylesheets=css).encode(), durable=False)
            self.touched.add(os.path.join(str(out), loc, "index.html"))
        return n

    def _root_and_sitemap(self, counts_changed: bool, flipped: bool, css: list[str]) -> int:
        """The language picker when a count changed, the sitemap when a status did (or either is missing)."""
        from ..fsutil import write_if_changed
        from ..site import default_locale, root_html, sitemap_xml
        cfg = self.cfg
        out, locs = cfg.output_dir, list(cfg.locales)
        n = 0
        if counts_changed or "index.html" in self.extras_missing:
            n += write_if_changed(out / "index.html",
                                  root_html(cfg, locs, self.head["counts"], default_locale(cfg), stylesheets=css),
                                  durable=False)
            self.touched.add(os.path.join(str(out), "index.html"))
        if flipped or "sitemap.xml" in self.extras_missing:
            n += write_if_changed(out / "sitemap.xml", sitemap_xml(cfg, self._sitemap_groups()), durable=False)
            self.touched.add(os.path.join(str(out), "sitemap.xml"))
        return n

    def _sitemap_groups(self) -> list:
        from ..site import sitemap_groups
        rows = self.rows
        source_out = {rel: rows.pg_outs[self._row(i, src)]
                      for i, (rel, src) in enumerate(zip(self.rels, self.locales))}
        return sitemap_groups(list(self.cfg.locales),
                              zip(rows.pg_pages, rows.pg_locs, map(bool, rows.pubs), rows.pg_outs), source_out)

    def _all_extras(self, css: list[str]) -> int:
        """write_site_extras over the whole site (index lines were lost), its lines kept."""
        from ..pages import Page
        from .report import PageStat
        from .sitefiles import write_site_extras
        cfg, rows = self.cfg, self.rows
        recs = {split2(k): RenderRec(*v) for k, v in self.store.all("ren").items()}
        recs.update(self.new_recs)
        pages = [Page(Path(p), rel, dom, LazySkeleton(rel, "", loc, "", "", p, cfg.source_locales))
                 for p, rel, dom, loc in zip(self.paths, self.rels, self.domains, self.locales)]

        def titles(pg: "Page", loc: str) -> tuple[str, bool]:
            rec = recs.get((pg.rel, loc))
            if rec is None or rec.title is None:
                raise Fallback
            return rec.title

        lines: dict[str, list] = {}
        stats = [PageStat(*r) for r in zip(rows.pg_pages, rows.pg_locs, rows.pcts, map(bool, rows.pubs), rows.pg_outs)]
        n = write_site_extras(cfg, pages, stats, titles=titles, lines=lines)
        self.store.clear_lines()
        for loc, li in lines.items():
            for output, published, html in li:
                self.store.put_line(loc, output, published, html.encode())
        self.head["counts"] = rows.counts(cfg)
        out = str(cfg.output_dir)
        self.touched.update(os.path.join(out, f) for f in ("index.html", "sitemap.xml", "l10n.css"))
        self.touched.update(os.path.join(out, loc, "index.html") for loc in cfg.locales)
        self.touched.update(os.path.join(out, loc, a) for loc in cfg.locales for a in self.assets)
        return n

