"""Parser candidates for the walker, measured on the benchmark corpus and on the
realweb fixtures: pages/s (one core) and whether the tree matches html5lib's (the
HTML standard's tree construction) on the cases of issue 15.

    python benchmarks/parsers.py [--pages 300]

Prints one JSON object (figures go in benchmarks/README.md by hand, with the date)."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CASES = {
    # a script-injected element in a saved page's <head>: <body class> must survive
    "body_attrs": '<!DOCTYPE html><html lang="en"><head><title>T</title><div id="x"></div>'
                  '</head><body class="home"><p>Hi</p></body></html>',
    # a stray </p> after a table: browsers make an empty <p>
    "stray_p": '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
               '<table><tr><td>a</td></tr></table></p><p>b</p></body></html>',
    # the page's own viewport meta after the implicit body start stays one meta
    "late_meta": '<!DOCTYPE html><html lang="en"><head><title>T</title></head><span>x</span>'
                 '<meta name="viewport" content="width=device-width"><body><p>b</p></body></html>',
}


def _sig_bs4(soup) -> str:
    from bs4 import Tag
    out = []
    for t in soup.descendants:
        if isinstance(t, Tag):
            out.append(t.name + "".join(f"[{k}={v}]" for k, v in sorted(t.attrs.items())))
    return " ".join(out)


def parsers() -> dict:
    from bs4 import BeautifulSoup
    out = {
        "bs4+lxml": lambda t: BeautifulSoup(t, "lxml", multi_valued_attributes=None),
        "bs4+html5lib": lambda t: BeautifulSoup(t, "html5lib", multi_valued_attributes=None),
    }
    try:
        from selectolax.lexbor import LexborHTMLParser
        out["selectolax/lexbor (no bs4 tree)"] = LexborHTMLParser
    except ImportError:
        pass
    try:
        import html5_parser
        out["html5-parser (soup)"] = lambda t: html5_parser.parse(t, treebuilder="soup")
    except Exception as e:   # noqa: BLE001 - report why it cannot run
        out["html5-parser: " + str(e)[:160]] = None
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    a = ap.parse_args()
    from corpus import make_site, page_plan
    warnings.simplefilter("ignore")
    res: dict = {"pages": a.pages, "speed_pages_per_s": {}, "matches_html5lib": {}}
    with tempfile.TemporaryDirectory() as d:
        make_site(Path(d), a.pages, jobs=1)
        texts = [(Path(d) / p.rel).read_text("utf-8") for p in page_plan(a.pages, 1)]
    realweb = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "realweb"
    cases = dict(CASES)
    for f in sorted(realweb.glob("*.html")):
        cases[f.name] = f.read_bytes().decode("utf-8", "replace")
    from bs4 import BeautifulSoup
    oracle = {k: _sig_bs4(BeautifulSoup(v, "html5lib", multi_valued_attributes=None)) for k, v in cases.items()}
    for name, fn in parsers().items():
        if fn is None:
            res["speed_pages_per_s"][name] = None
            continue
        t0 = time.process_time()
        for t in texts:
            fn(t)
        dt = time.process_time() - t0
        res["speed_pages_per_s"][name] = round(len(texts) / dt, 1)
        if name.startswith("bs4") or "soup" in name:
            res["matches_html5lib"][name] = sorted(k for k, v in cases.items() if _sig_bs4(fn(v)) == oracle[k])
            res["differs_from_html5lib"] = res.get("differs_from_html5lib", {})
            res["differs_from_html5lib"][name] = sorted(k for k, v in cases.items()
                                                        if _sig_bs4(fn(v)) != oracle[k])
    print(json.dumps(res, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()


def parse_costs(source_dir: Path, limit: int = 200) -> dict:
    """The walker's parse of up to ``limit`` pages of a corpus, both ways: how many pages
    libxml2 would have to repair (those go to html5lib), and CPU ms a page for the bs4 tree
    with lxml and with html5lib (one core, in this process). For make bench's extract stage."""
    from bs4 import BeautifulSoup
    from l10n.html.encoding import decode_page
    from l10n.html.walker import _lxml_parse, departs_from_html5
    warnings.simplefilter("ignore")
    files = sorted(source_dir.rglob("*.html"))[:limit]
    texts = [decode_page(f.read_bytes(), f.name) for f in files]
    out: dict = {"pages": len(texts)}
    if not texts:
        return out
    out["html5lib_pages"] = sum(departs_from_html5(*_lxml_parse(t), t) for t in texts)
    for name in ("lxml", "html5lib"):
        t0 = time.process_time()
        for t in texts:
            BeautifulSoup(t, name, multi_valued_attributes=None)
        out[f"{name}_ms"] = round((time.process_time() - t0) / len(texts) * 1000, 2)
    return out
