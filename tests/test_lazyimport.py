"""l10n.lazyimport: a deferred module runs its code at its first use, and is then the real module."""
from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_deferred_module_runs_at_first_use_and_is_then_the_real_one(tmp_path):
    pkg = tmp_path / "pkgx"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", "utf-8")
    (pkg / "heavy.py").write_text("import builtins\nbuiltins.HEAVY_RAN = True\nVALUE = 42\n", "utf-8")
    code = textwrap.dedent("""
        import builtins, sys
        from l10n.lazyimport import defer
        defer("pkgx.heavy", "no_such_module_here")
        import pkgx.heavy                       # the import statement does not run it
        from pkgx import heavy as h
        assert not hasattr(builtins, "HEAVY_RAN")
        assert "no_such_module_here" not in sys.modules
        assert pkgx.heavy.VALUE == 42           # the first attribute read does
        assert builtins.HEAVY_RAN
        import pkgx.heavy as again
        assert type(again).__name__ == "module" and again.VALUE == 42 and h.VALUE == 42
        print("ok")
    """)
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_the_walker_leaves_css_selectors_working():
    code = ("import sys; import l10n.html.walker; from bs4 import BeautifulSoup; "
            "assert type(sys.modules['soupsieve']).__name__ == 'Deferred'; "
            "s = BeautifulSoup('<p class=x>a</p><p>b</p>', 'html.parser'); print(len(s.select('p.x')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "1", r.stderr


def test_html5lib_is_imported_only_when_a_page_needs_it_and_bs4_keeps_its_builders():
    """The walker imports bs4 without html5lib; bs4's registry is the same as bs4 alone gives, and
    "html5lib" still gives html5lib's tree builder (imported then)."""
    code = textwrap.dedent("""
        import sys
        import l10n.html.walker as w
        from bs4 import BeautifulSoup
        from bs4.builder import builder_registry as r
        assert "html5lib" not in sys.modules
        names = [b.NAME for b in r.builders_for_feature["html"]]
        w.parse_page(b'<!DOCTYPE html><html lang="en"><body><p>A tidy page.</p></body></html>', "a.html")
        assert "html5lib" not in sys.modules            # libxml2 took it as browsers do
        w.parse_page(b'<!DOCTYPE html><html lang="en"><body><p>a</p></p><p>b</p></body></html>', "b.html")
        assert "html5lib" in sys.modules                # a stray </p>: html5lib builds the tree
        soup = BeautifulSoup("<p>x</p></p>", "html5lib")
        print(names, type(soup.builder).__name__, len(soup.find_all("p")),
              type(BeautifulSoup("<p>x", "html").builder).__name__)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    plain = subprocess.run([sys.executable, "-c", "from bs4.builder import builder_registry as r; "
                            "print([b.NAME for b in r.builders_for_feature['html']])"], capture_output=True, text=True)
    assert r.stdout.split("]")[0] + "]" == plain.stdout.strip()
    assert r.stdout.split("]")[1].split() == ["HTML5TreeBuilder", "2", "LXMLTreeBuilder"]
