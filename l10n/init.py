"""``l10n init``: a new project in one command.

Writes ``[tool.l10n]`` in ``pyproject.toml`` (appended to an existing ``pyproject.toml``
that has none), the folders, the starter medical glossary (the packaged copy), a
``.gitignore`` and a short README. An existing file is never overwritten: a
``.gitignore`` gets only the lines it lacks, a README or glossary already there is
kept. A folder that already is an l10n project is refused (ConfigError, exit 2).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import ConfigError
from .fsutil import atomic_write
from .locales import parse_locale

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["InitResult", "init_project", "GITIGNORE_LINES", "DEFAULT_SOURCE", "DEFAULT_TARGETS",
           "check_locale_name"]

GITIGNORE_LINES = ("site/", ".l10n-cache/", "*.mo", ".l10n.lock")
DEFAULT_SOURCE = "en"
DEFAULT_TARGETS = ("zh_TW", "zh_CN")
_LOCALE_NAME = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2}|_\d{3})?$")


@dataclass(frozen=True)
class InitResult:
    root: Path
    written: tuple[str, ...]      # files created or changed, relative to root
    kept: tuple[str, ...]         # files that were there already and were left alone


def check_locale_name(name: str) -> str:
    """``name`` if it is a locale name CLDR knows (en, zh_TW, zh_CN); ConfigError otherwise."""
    name = name.strip().replace("-", "_")
    if not _LOCALE_NAME.match(name):
        raise ConfigError(f"{name!r} is not a locale name (use e.g. en, zh_TW, zh_CN)")
    parse_locale(name)
    return name


def _settings(source: str, targets: Sequence[str], glossary: str) -> str:
    quoted = ", ".join(f'"{t}"' for t in targets)
    return (
        "[tool.l10n]\n"
        'source_dir = "source_pages"\n'
        'locales_dir = "locales"\n'
        'output_dir = "site"\n'
        f'glossary = "{glossary}"\n'
        "threshold = 80\n"
        "\n"
        "[tool.l10n.targets]\n"
        f"{source} = [{quoted}]\n"
        "\n"
        "[tool.l10n.check]\n"
        'fail_on = "error"\n'
    )


def _readme(name: str, source: str, targets: Sequence[str]) -> str:
    tl = ", ".join(targets)
    first = targets[0]
    return f"""# {name}

Pages written in `{source}`, translated into {tl} with [l10n](https://pypi.org/project/l10n/)
(gettext catalogs checked against a medical glossary).

```
source_pages/             your pages (*.html); each page's language from <html lang>
locales/templates/*.pot   one template per page (made by `l10n extract`)
locales/<locale>/LC_MESSAGES/<page>.po    the translations: edit these
locales/glossary.toml     the medical glossary (drug names, conditions, forbidden terms)
site/                     the rendered site (made by `l10n build`, not kept in git)
```

Every day:

```sh
l10n build                # extract + update + compile + render into site/
l10n check                # every translation against the glossary
l10n stats                # how much of each page is translated
```

Translate `locales/{first}/LC_MESSAGES/*.po` in any gettext editor (Poedit, Weblate,
a text editor); a page is published once 80% of it is translated (`threshold` in
`pyproject.toml`). Settings live in `[tool.l10n]` in `pyproject.toml`.
"""


def _has_l10n(pp: Path) -> bool:
    try:
        data = tomllib.loads(pp.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot add [tool.l10n]: not valid TOML ({e})", str(pp)) from None
    return isinstance(data.get("tool"), dict) and "l10n" in data["tool"]


def init_project(root: str | Path, *, source: str = DEFAULT_SOURCE,
                 targets: Sequence[str] = DEFAULT_TARGETS, name: str | None = None) -> InitResult:
    """Make ``root`` (created if needed) a working l10n project; see the module's docstring."""
    from .data import default_glossary_path

    root = Path(root).resolve()
    if root.exists() and not root.is_dir():
        raise ConfigError("not a folder", str(root))
    source = check_locale_name(source)
    targets = tuple(dict.fromkeys(check_locale_name(t) for t in targets))
    if not targets:
        raise ConfigError("give at least one target locale")
    if source in targets:
        raise ConfigError(f"{source} is the source locale; it cannot also be a target")
    pp = root / "pyproject.toml"
    if pp.is_file() and _has_l10n(pp):
        raise ConfigError("already an l10n project ([tool.l10n] is there); nothing written", str(pp))
    name = name or root.name or "site"
    written: list[str] = []
    kept: list[str] = []

    glossary_rel = "locales/glossary.toml"
    settings = _settings(source, targets, glossary_rel)
    if pp.is_file():
        old = pp.read_text("utf-8")
        atomic_write(pp, old.rstrip("\n") + "\n\n" + settings if old.strip() else settings)
    else:
        atomic_write(pp, f'[project]\nname = "{_toml_str(name)}"\nversion = "0.1.0"\n\n' + settings)
    written.append("pyproject.toml")

    for d in ("source_pages", "locales/templates"):
        (root / d).mkdir(parents=True, exist_ok=True)
    keep = root / "source_pages" / ".gitkeep"      # git keeps no empty folder; a clone must build
    if not any((root / "source_pages").iterdir()):
        atomic_write(keep, b"")
        written.append("source_pages/.gitkeep")

    gl = root / glossary_rel
    if gl.exists():
        kept.append(glossary_rel)
    else:
        atomic_write(gl, default_glossary_path().read_bytes())
        written.append(glossary_rel)

    gi = root / ".gitignore"
    have = gi.read_text("utf-8").splitlines() if gi.is_file() else []
    missing = [ln for ln in GITIGNORE_LINES if ln not in {h.strip() for h in have}]
    if missing:
        text = "\n".join(have).rstrip("\n")
        atomic_write(gi, (text + "\n" if text else "") + "\n".join(missing) + "\n")
        written.append(".gitignore")
    else:
        kept.append(".gitignore")

    readme = root / "README.md"
    if readme.exists():
        kept.append("README.md")
    else:
        atomic_write(readme, _readme(name, source, targets))
        written.append("README.md")
    return InitResult(root, tuple(written), tuple(kept))


def _toml_str(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')
