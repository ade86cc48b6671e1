"""The shape of the package, as the README's architecture table states it: the import graph of
``l10n/`` has no cycle, no module imports another's private names, every module opens with a
docstring saying its job, and the build's modules stay readable in size."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "l10n"


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        parts = p.relative_to(PKG.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import in the file, at any depth."""
    pkg = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((target, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out.extend((a.name, []) for a in node.names)
    return out


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for m, p in MODULES.items():
        for target, names in _imports(m, p):
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            for t in subs or [target]:
                if t in MODULES and t != m:
                    edges[m].add(t)
    return edges


def test_the_import_graph_has_no_cycle():
    edges = _graph()
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                pytest.fail("import cycle: " + " -> ".join(path[path.index(t):] + [t]))
            if t not in state:
                visit(t)
        path.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m)
    assert edges["l10n.build.run"] >= {"l10n.build.plan", "l10n.build.full", "l10n.build.delta"}


def test_no_module_imports_private_names_of_another():
    bad = []
    for m, p in MODULES.items():
        for target, names in _imports(m, p):
            if target.startswith("l10n") and target != m:
                bad += [f"{m}: from {target} import {n}" for n in names
                        if n.startswith("_") and not n.startswith("__") and f"{target}.{n}" not in MODULES]
    assert sorted(bad) == []


def test_the_site_package_reads_and_writes_no_file():
    text = (PKG / "site" / "__init__.py").read_text("utf-8")
    for io in ("open(", "read_bytes", "read_text", "write_if_changed", "os.walk", "load_pages", "global "):
        assert io not in text, io


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_says_its_job(name):
    if name in ("l10n.html",):             # an empty package marker
        return
    doc = ast.get_docstring(ast.parse(MODULES[name].read_text("utf-8")))
    assert doc and len(doc.split()) >= 4, name


def test_build_modules_stay_readable():
    for p in [*(PKG / "build").glob("*.py"), PKG / "pages.py", PKG / "workers.py", PKG / "project.py"]:
        n = len(p.read_text("utf-8").splitlines())
        assert n <= 700, f"{p.name}: {n} lines"
