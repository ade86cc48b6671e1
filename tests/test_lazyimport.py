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
