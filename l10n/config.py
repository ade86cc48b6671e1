"""The project's settings: ``[tool.l10n]`` in ``pyproject.toml``."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import ConfigError, PathError
from .fsutil import check_links, inside
from .locales import parse_locale

__all__ = ["Config", "load_config", "check_folder_links", "find_root", "KEYS"]

KEYS = {"source_dir", "locales_dir", "output_dir", "glossary", "threshold", "targets", "check",
        "project_name", "version", "bugs_address", "base_url", "jobs", "tm", "templates", "sections"}
CHECK_KEYS = {"fail_on", "select", "ignore", "gate"}
_LOCALE_NAME = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2}|_\d{3})?$")


@dataclass(frozen=True)
class Config:
    root: Path
    source_dir: Path
    locales_dir: Path
    output_dir: Path
    glossary: Path | None
    targets: dict[str, tuple[str, ...]]      # source locale -> target locales
    threshold: float = 80.0
    project_name: str = "l10n"
    version: str = "1.0"
    bugs_address: str = ""
    base_url: str = ""
    jobs: int = 0                             # 0: one worker per core
    fail_on: str = "error"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    gate: str = "error"           # the severity that holds a unit back from readers ("off": none)
    pyproject: Path | None = field(default=None, compare=False)
    site_templates: Path | None = None        # the publisher's template folder ([tool.l10n] templates)
    # the templates' files as they were read (l10n.templating.templates_sig): in the settings'
    # digest, so a saved template renders the site again
    site_templates_sig: tuple = field(default=(), compare=False)
    sections: dict[str, dict[str, str]] = field(default_factory=dict)   # folder -> {locale: name}
    # one run's translation-memory choices (l10n build --no-tm / --tm-min-score): what this run
    # fills, not what the project is, so they are not in the build's settings digest
    tm_off: bool = field(default=False, compare=False)
    tm_min_score: float | None = field(default=None, compare=False)

    @property
    def source_locales(self) -> tuple[str, ...]:
        return tuple(self.targets)

    @property
    def locales(self) -> tuple[str, ...]:
        """Every locale of the site: sources first, then targets, each once."""
        seen: list[str] = []
        for s, ts in self.targets.items():
            for loc in (s, *ts):
                if loc not in seen:
                    seen.append(loc)
        return tuple(seen)

    @property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"

    def rel(self, p: Path) -> str:
        """``p`` relative to the project root, posix (for messages and #: locations)."""
        try:
            return Path(p).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(p)

    def domain_of(self, page: Path) -> str:
        rel = Path(page).resolve().relative_to(self.source_dir).with_suffix("")
        return ".".join(rel.parts)

    def pot_path(self, domain: str) -> Path:
        return self.templates_dir / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def mo_path(self, locale: str, domain: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / f"{domain}.mo"


def _packaged_glossary() -> Path:
    """The starter glossary shipped with the package: a project that names no glossary uses it."""
    from .data import default_glossary_path
    return default_glossary_path()


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` whose pyproject.toml has [tool.l10n]."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        pp = d / "pyproject.toml"
        if pp.is_file():
            try:
                if "l10n" in tomllib.loads(pp.read_text("utf-8")).get("tool", {}):
                    return d
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                return d     # load_config reports the error with its line
    raise ConfigError("no pyproject.toml with a [tool.l10n] table here or above; "
                      "run in a project folder or pass --project DIR", str(here))


def _line_of(text: str, key: str) -> int | None:
    for i, ln in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", ln):
            return i
    return None


def _line_with(text: str, name: object) -> int | None:
    """The line where ``name`` stands as a key or a quoted string (a locale in a list)."""
    name = str(name)
    for i, ln in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(name)}\s*=", ln) or f'"{name}"' in ln or f"'{name}'" in ln:
            return i
    return None


def _check_locale(name: str, pp: str, text: str) -> str:
    if not isinstance(name, str) or not _LOCALE_NAME.match(name):
        raise ConfigError(f"{name!r} is not a locale name (use e.g. en, zh_TW, zh_CN)", pp,
                          _line_with(text, name) or _line_of(text, "targets"))
    try:
        parse_locale(name)
    except ConfigError:
        raise ConfigError(f"{name!r} is not a locale CLDR knows", pp, _line_with(text, name)) from None
    return name


def _sections(raw: object, targets: dict[str, tuple[str, ...]], pp: str, text: str) -> dict[str, dict[str, str]]:
    """``[tool.l10n.sections]``: a folder of the source -> its name per locale on the indexes."""
    if not isinstance(raw, dict):
        raise ConfigError("[tool.l10n.sections] must map folder names to tables of names per locale", pp,
                          _line_of(text, "sections"))
    known = {loc for s, ts in targets.items() for loc in (s, *ts)}
    out: dict[str, dict[str, str]] = {}
    for folder_name, names in raw.items():
        if not isinstance(names, dict) or not all(isinstance(v, str) and v.strip() for v in names.values()):
            raise ConfigError(f"section {folder_name!r} must be a table of names per locale "
                              '(e.g. qa = { en = "Questions", zh_TW = "問答" })', pp, _line_with(text, folder_name))
        for loc in names:
            if loc not in known:
                raise ConfigError(f"section {folder_name!r} names a locale the site does not have: {loc}", pp,
                                  _line_with(text, folder_name))
        out[str(folder_name)] = {str(k): v.strip() for k, v in names.items()}
    return out


def load_config(root: Path | None = None, *, links: bool = True) -> Config:
    """Read and validate ``[tool.l10n]``; ConfigError naming pyproject.toml and the line.

    ``links=False``: the folders are not walked for symbolic links leading outside them
    (:func:`check_folder_links`); the caller does it before it reads or writes in them
    (``l10n build`` asks its scan of the folders first: see :func:`l10n.build.run.build`)."""
    root = (root or find_root()).resolve()
    pp, text, data = _read_pyproject(root)
    t, chk = _tables(data, pp, text)
    targets = _targets(t, pp, text)

    def folder(key: str, default: str) -> Path:
        v = t.get(key, default)
        if not isinstance(v, str) or not v:
            raise ConfigError(f"{key} must be a {'file' if key == 'glossary' else 'folder'} name", str(pp),
                              _line_of(text, key))
        try:
            return inside(root, v, key)
        except PathError as e:          # name the setting, not the folder it points at
            raise PathError(e.message, str(pp), _line_of(text, key)) from None

    threshold, fail_on, gate, glossary = _checked_values(t, chk, pp, text)
    sections = _sections(t.get("sections", {}), targets, str(pp), text)
    templates = folder("templates", "templates") if "templates" in t else None
    if templates is not None and not templates.is_dir():
        raise ConfigError(f"templates folder does not exist: {t['templates']}", str(pp), _line_of(text, "templates"))
    from .templating import templates_sig
    cfg = Config(
        root=root,
        source_dir=folder("source_dir", "source_pages"),
        locales_dir=folder("locales_dir", "locales"),
        output_dir=folder("output_dir", "site"),
        glossary=folder("glossary", glossary) if glossary else _packaged_glossary(),
        targets=targets,
        threshold=float(threshold),
        project_name=str(t.get("project_name", data.get("project", {}).get("name", "l10n"))),
        version=str(t.get("version", "1.0")),
        bugs_address=str(t.get("bugs_address", "")),
        base_url=str(t.get("base_url", "")).rstrip("/"),
        jobs=int(t.get("jobs", 0)),
        fail_on=fail_on,
        select=tuple(chk.get("select", ())),
        ignore=tuple(chk.get("ignore", ())),
        gate=gate,
        pyproject=pp,
        site_templates=templates,
        site_templates_sig=templates_sig(templates),
        sections=sections,
    )
    if links:
        check_folder_links(cfg)
    return cfg


def check_folder_links(cfg: Config) -> None:
    """PathError for a symbolic link in the source, locales or output folder that leads out of
    it: no reading or writing outside through one."""
    check_links(cfg.root, cfg.source_dir, cfg.locales_dir, cfg.output_dir)


def _read_pyproject(root: Path) -> tuple[Path, str, dict]:
    """(pyproject.toml, its text, its data)."""
    pp = root / "pyproject.toml"
    if not pp.is_file():
        raise ConfigError("no pyproject.toml in the project folder", str(root))
    try:
        text = pp.read_text("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError("not UTF-8 (TOML files are UTF-8)", str(pp),
                          pp.read_bytes()[:e.start].count(b"\n") + 1) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise ConfigError(f"invalid TOML: {e}", str(pp), int(m.group(1)) if m else None) from None
    return pp, text, data


def _tables(data: dict, pp: Path, text: str) -> tuple[dict, dict]:
    """``[tool.l10n]`` and ``[tool.l10n.check]``, with no unknown key."""
    t = data.get("tool", {}).get("l10n")
    if not isinstance(t, dict):
        raise ConfigError("no [tool.l10n] table", str(pp))
    for k in t:
        if k not in KEYS:
            raise ConfigError(f"unknown key {k!r} in [tool.l10n] (known: {', '.join(sorted(KEYS))})",
                              str(pp), _line_of(text, k))
    chk = t.get("check", {})
    if not isinstance(chk, dict):
        raise ConfigError("[tool.l10n.check] must be a table", str(pp), _line_of(text, "check"))
    for k in chk:
        if k not in CHECK_KEYS:
            raise ConfigError(f"unknown key {k!r} in [tool.l10n.check]", str(pp), _line_of(text, k))
    return t, chk


def _targets(t: dict, pp: Path, text: str) -> dict[str, tuple[str, ...]]:
    """``[tool.l10n.targets]``: each source locale's target locales, each one checked."""
    raw_targets = t.get("targets") or {}
    if not isinstance(raw_targets, dict) or not raw_targets:
        raise ConfigError("[tool.l10n.targets] must map each source locale to a list of target locales",
                          str(pp), _line_of(text, "targets"))
    targets: dict[str, tuple[str, ...]] = {}
    for src, ts in raw_targets.items():
        _check_locale(src, str(pp), text)
        if not isinstance(ts, list):
            raise ConfigError(f"targets for {src} must be a list", str(pp), _line_of(text, src))
        targets[src] = tuple(_check_locale(x, str(pp), text) for x in ts)
    return targets


def _checked_values(t: dict, chk: dict, pp: Path, text: str) -> tuple[float, str, str, str | None]:
    """(threshold, check.fail_on, check.gate, glossary), each checked; ``jobs`` checked too."""
    threshold = t.get("threshold", 80)
    if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
        raise ConfigError("threshold must be a number from 0 to 100", str(pp), _line_of(text, "threshold"))
    fail_on = chk.get("fail_on", "error")
    if fail_on not in ("error", "warning", "info", "never"):
        raise ConfigError("check.fail_on must be error, warning, info or never", str(pp),
                          _line_of(text, "fail_on"))
    gate = chk.get("gate", "error")
    if gate not in ("error", "warning", "off"):
        raise ConfigError("check.gate must be error, warning or off", str(pp), _line_of(text, "gate"))
    glossary = t.get("glossary")
    if glossary is not None and (not isinstance(glossary, str) or not glossary):
        raise ConfigError("glossary must be a file name", str(pp), _line_of(text, "glossary"))
    jobs = t.get("jobs", 0)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0:
        raise ConfigError("jobs must be a whole number (0: one per core)", str(pp), _line_of(text, "jobs"))
    return threshold, fail_on, gate, glossary

