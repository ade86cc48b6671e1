"""The ``l10n`` command: a thin layer over the library (each command parses options
and calls one function). Bad input exits 2 with one line naming the file and line."""
from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Callable, Iterable, Sequence

import click

from . import __version__
from .errors import L10nError

__all__ = ["main", "cli"]


def _progress(items: Sequence, label: str) -> Iterable:
    """A progress bar on a terminal; silent otherwise."""
    if not sys.stderr.isatty() or len(items) < 2:
        return items
    return _Bar(items, label)


class _Bar:
    def __init__(self, items: Sequence, label: str):
        self.items, self.label = items, label

    def __iter__(self):
        with click.progressbar(self.items, label=f"{self.label:8}", file=sys.stderr) as bar:
            yield from bar


def _interactive() -> bool:
    """Ask questions only of a person at a terminal."""
    return sys.stdin.isatty()


def _cfg(project: str | None, *, links: bool = True):
    from .config import find_root, load_config
    root = Path(project).resolve() if project else find_root()
    if project and not root.is_dir():
        raise L10nError("project folder does not exist", project)
    return load_config(root, links=links)


def handles_errors(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*a, **kw):
        try:
            return fn(*a, **kw)
        except L10nError as e:
            lines = e.lines() if hasattr(e, "lines") else [str(e)]      # PagesError: one line per bad page
            for line in lines:
                click.echo(f"l10n: error: {line}", err=True)
            sys.exit(2)
    return wrapper


def locked(fn: Callable | None = None, *, sweep: bool = True) -> Callable:
    """Run the command holding the project's lock (waits up to --wait seconds), after removing a
    killed run's temporary files; with ``sweep=False`` the command gets the sweep as ``sweep`` and
    runs it itself before it writes, and checks the folders for links leading outside itself
    (``build``: a build with nothing to do walks no folder; its scan says when links need a look).
    ``sweep(folders)``: only those folders (default: the locales and output folders and the cache);
    ``sweep(folders, only_if_killed=True)``: only if the run before was killed (it left its process id
    in the lock file), for folders where a temporary file is litter, not a change the plan would see."""
    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*a, **kw):
            from .fsutil import project_lock, sweep_temps
            cfg = _cfg(kw.get("project"), links=sweep)
            with project_lock(cfg.root, wait=kw.pop("wait", 0.0), notify=lambda m: click.echo(m, err=True)) as held:
                def sweeper(folders: tuple | None = None, only_if_killed: bool = False) -> None:
                    if only_if_killed and held.clean:
                        return
                    sweep_temps(*(folders or (cfg.locales_dir, cfg.output_dir, cfg.root / ".l10n-cache")))
                if sweep:
                    sweeper()
                    return fn(cfg, *a, **kw)
                return fn(cfg, *a, sweep=sweeper, **kw)
        return wrapper
    return deco if fn is None else deco(fn)


project_option = click.option("--project", "-p", "project", type=click.Path(file_okay=False),
                              default=None, help="Project folder (default: found from the current folder).")
wait_option = click.option("--wait", type=float, default=30.0, show_default=True,
                           help="Seconds to wait for another l10n run on this project to finish.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="l10n")
def cli() -> None:
    """Localize HTML pages between English and Chinese with gettext catalogs.

    \b
    Pipeline:  extract -> update -> compile -> render   (or: build)
    Checks:    check, rules, glossary, convert, accept
    Memory:    tm import, tm export  (update and build pre-translate from it)
    Settings:  [tool.l10n] in pyproject.toml   (new project: l10n init)
    """


@cli.command()
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False))
@click.option("--source", help="Locale the pages are written in [default: en; asked on a terminal].")
@click.option("--target", "targets", multiple=True,
              help="Target locale (repeatable, or comma-separated) [default: zh_TW, zh_CN; asked on a terminal].")
@click.option("--name", help="Project name [default: the folder's name].")
@handles_errors
def init(directory, source, targets, name):
    """Make DIRECTORY (default: here) a new l10n project: settings, folders, glossary, .gitignore, README."""
    from .init import DEFAULT_SOURCE, DEFAULT_TARGETS, init_project
    targets = [t for item in targets for t in item.replace(",", " ").split()]
    if source is None and not targets and _interactive():
        source = click.prompt("Source locale (the pages' language)", default=DEFAULT_SOURCE)
        targets = click.prompt("Target locales", default=" ".join(DEFAULT_TARGETS)).replace(",", " ").split()
    res = init_project(directory, source=source or DEFAULT_SOURCE, targets=targets or DEFAULT_TARGETS, name=name)
    for f in res.written:
        click.echo(f"wrote {f}")
    for f in res.kept:
        click.echo(f"kept {f} (already there)")
    click.echo(f"l10n project ready in {res.root}: put pages in source_pages/, then run `l10n build`", err=True)


@cli.command()
@project_option
@wait_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the templates are out of date.")
@handles_errors
@locked
def extract(cfg, project, check):
    """Pages -> templates: one .pot per page in <locales>/templates/."""
    from .project import extract as run
    res = run(cfg, check=check, progress=_progress)
    for n in res.notes:
        click.echo(f"note: {n}", err=True)
    if check:
        for p in res.stale:
            click.echo(f"{p}: out of date with its page")
        sys.exit(1 if res.stale else 0)
    for p in res.written:
        click.echo(f"wrote {p}")
    for p in res.removed:
        click.echo(f"removed {p} (its page is gone)")
    click.echo(f"{len(res.templates)} templates, {len(res.written)} written", err=True)


@cli.command()
@project_option
@wait_option
@click.option("-l", "--locale", "locales", multiple=True, help="Only this locale (repeatable).")
@click.option("--tm-min-score", type=click.FloatRange(0, 100, min_open=True), default=None,
              help="Pre-translate empty entries from the translation memory at this similarity or above "
                   "[default: [tool.l10n.tm] min_score, else 75].")
@click.option("--no-tm", is_flag=True, help="No pre-translation from the translation memory.")
@handles_errors
@locked
def update(cfg, project, locales, tm_min_score, no_tm):
    """Create or merge .po catalogs from the templates, like msgmerge; then pre-translate
    what is still empty from the translation memory (fuzzy, with the score and origin)."""
    from .project import iter_catalog_paths, update as run
    from .repair import find_repairs
    repairs = find_repairs(iter_catalog_paths(cfg, locales or None), cfg.rel)
    results = run(cfg, locales or None, progress=_progress)
    _report_repairs(repairs)
    filled = {}
    if not no_tm:
        from .tm import pretranslate
        filled = {r.path: r for r in pretranslate(cfg, locales or None, min_score=tm_min_score,
                                                  progress=_progress)}
    for r in results:
        tm = filled.get(r.path)
        if tm is None:
            click.echo(f"{r.path}: {'updated' if r.written else 'unchanged'}; {r.stats.msgfmt_line()}")
        else:
            click.echo(f"{r.path}: updated; {tm.stats.msgfmt_line()} "
                       f"({tm.filled} pre-translated from the translation memory, fuzzy)")


def _report_repairs(repairs) -> None:
    """One line per repair a rewrite of a damaged catalog made (l10n.repair), naming file and line."""
    for r in repairs:
        click.echo(r.message(), err=True)


@cli.command("compile")
@project_option
@wait_option
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy translations in the .mo files.")
@click.option("-l", "--locale", "locales", multiple=True, help="Only this locale (repeatable).")
@handles_errors
@locked
def compile_(cfg, project, use_fuzzy, locales):
    """.po -> .mo with msgfmt-style statistics; exit 1 on errors (no .mo for that catalog), 3 when the
    check gate held units back (left out of the .mo)."""
    from .project import compile_all
    reports = compile_all(cfg, use_fuzzy=use_fuzzy, locales=locales or None, progress=_progress)
    bad = 0
    held = _report_held(reports)
    for r in reports:
        for e in r.errors:
            click.echo(e, err=True)
        if r.errors:
            bad += 1
            click.echo(f"{r.path}: {len(r.errors)} error(s); no .mo written", err=True)
        else:
            click.echo(f"{r.path}: {r.stats.msgfmt_line()}")
    sys.exit(1 if bad else _held_exit(held))


def _report_held(reports) -> int:
    """Print each unit the check gate held back, loudly; their number."""
    from .build.report import having
    lines = [f"HELD BACK: {h.line_text()}" for r in having(reports, "held") for h in r.held]
    n = len(lines)
    if n:
        lines.append(f"{n} translation(s) held back by the check gate: readers see the source text "
                     "(fix them, or mark a reviewed finding '# l10n: ignore CODE')")
        # one write, not one a line: a site with thousands held back prints them on every build
        click.secho("\n".join(lines), err=True, fg="red", bold=True)
    return n


def _held_exit(held: int) -> int:
    from .gate import EXIT_HELD_BACK
    return EXIT_HELD_BACK if held else 0


def _report_render(rep, threshold: float) -> None:
    if rep.warnings:
        click.echo("\n".join(f"warning: {w}" for w in rep.warnings), err=True)
    unpublished = rep.unpublished
    if unpublished:
        click.secho("\n".join(f"NOT PUBLISHED: {p.output} is {p.percent:.1f}% translated "
                              f"(threshold {threshold:g}%)" for p in unpublished), err=True, fg="red", bold=True)
    n = len(rep.pages) - len(unpublished)
    click.echo(f"{n} pages published, {len(rep.unpublished)} held back, {rep.written} files written")


@cli.command("render")
@project_option
@wait_option
@handles_errors
@locked
def render_(cfg, project):
    """Every page in every locale from the .mo files into <output>/<locale>/."""
    from .project import render_site
    _report_render(render_site(cfg, progress=_progress), cfg.threshold)


@cli.command()
@project_option
@wait_option
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy translations.")
@click.option("--prune", is_flag=True,
              help="Remove the catalogs, .mo files and site/<locale>/ of locales no longer in the settings.")
@click.option("--force", is_flag=True, help="Redo everything, as if nothing had been built.")
@click.option("--explain", is_flag=True, help="Say why the build redid what it redid (on stderr).")
@click.option("--tm-min-score", type=click.FloatRange(0, 100, min_open=True), default=None,
              help="Pre-translate the entries this build's merges add from the translation memory at this "
                   "similarity or above [default: [tool.l10n.tm] min_score, else 75].")
@click.option("--no-tm", is_flag=True, help="No pre-translation from the translation memory: the entries this "
                                             "build adds stay empty (`l10n update` fills them later).")
@handles_errors
@locked(sweep=False)
def build(cfg, project, use_fuzzy, prune, force, explain, tm_min_score, no_tm, sweep):
    """extract + update + compile + render in one go (what `make` runs); exit 3 when the check gate
    held translations back."""
    from .build.run import build as run           # not l10n.project: a no-op build needs none of its imports
    if no_tm or tm_min_score is not None:
        from dataclasses import replace
        cfg = replace(cfg, tm_off=no_tm, tm_min_score=tm_min_score)
    from .prune import prune as remove, stale_locales
    stale = stale_locales(cfg)
    if prune:
        from .config import check_folder_links
        check_folder_links(cfg)             # before anything is removed (the build checks its own way)
        sweep()
        for f in remove(cfg, stale):
            click.echo(f"removed {f} (locale no longer in the settings)")
    else:
        for s in stale:
            click.echo(f"warning: {s.describe(cfg)}; `l10n build --prune` removes them", err=True)
    rep = run(cfg, use_fuzzy=use_fuzzy, force=force, progress=_progress,
              explain=(lambda m: click.echo(m, err=True)) if explain else None, before_writing=sweep,
              links_checked=prune)
    click.echo(f"extract: {len(rep.extract.templates)} templates, {len(rep.extract.written)} written")
    from .build.report import having       # a column's index: a no-op build makes none of its 70,000 rows
    click.echo(f"update:  {len(rep.update)} catalogs, {len(having(rep.update, 'written'))} written")
    _report_repairs(rep.repairs)
    for line in rep.pretranslated_lines():
        click.echo(line)
    errs = [e for r in having(rep.compile, "errors") for e in r.errors]
    for e in errs:
        click.echo(e, err=True)
    click.echo(f"compile: {len(rep.compile)} catalogs, {len(errs)} errors")
    held = _report_held(rep.compile)
    _report_render(rep.render, cfg.threshold)
    sys.exit(1 if errs else _held_exit(held))


@cli.command()
@project_option
@click.option("-l", "--locale", "locales", multiple=True, help="Only this locale (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="html: a self-contained page charting completeness per page and locale.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
@handles_errors
def stats(project, locales, fmt, output):
    """Completeness per locale and page."""
    import json

    from .project import project_stats
    cfg = _cfg(project)
    rows = project_stats(cfg, locales or None)
    if fmt == "html":
        from .htmlreport import stats_html
        from .templating import templates_for
        text = stats_html(rows, templates=templates_for(cfg))
    elif fmt == "json":
        text = json.dumps([{"page": p, "locale": lo, "catalog": c, "translated": s.translated,
                            "fuzzy": s.fuzzy, "untranslated": s.untranslated,
                            "percent": round(s.percent, 1)} for p, lo, c, s in rows],
                          ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(f"{lo:6} {s.percent:5.1f}%  {p}  ({s.msgfmt_line()})\n" for p, lo, c, s in rows)
    if output:
        from .fsutil import atomic_write
        atomic_write(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


# -- checks ------------------------------------------------------------------------------

@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@project_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit", "html"]),
              default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Exit 1 on findings at or above this severity [default: from config, else error].")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False), help="Another glossary file.")
@click.option("--source-lang", help="Source locale of catalogs that have no X-Source-Language header.")
@click.option("--select", multiple=True, help="Only these rule codes (repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule codes (repeatable).")
@click.option("--no-cache", is_flag=True,
              help="Check every entry again (by default an entry checked before with the same glossary, "
                   "rules and text is not: its findings are kept in .l10n-cache/check/).")
@handles_errors
def check(paths, project, fmt, output, fail_on, glossary_path, source_lang, select, ignore, no_cache):
    """Check translations against the glossary (default: every .po under locales/, and the pages).

    \b
    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad input.
    """
    from .fsutil import atomic_write
    from .project import check_project
    from .report import exit_code, format_findings
    cfg = _cfg(project)
    run = check_project(cfg, paths, glossary_path=glossary_path, source_lang=source_lang,
                        select=select, ignore=ignore, entry_cache=not no_cache)
    if fmt == "html":
        from .htmlreport import html_report
        from .templating import templates_for
        text = html_report(run.findings, run.catalogs, templates=templates_for(cfg))
    else:
        text = format_findings(run.findings, fmt)
    if output:
        atomic_write(output, text)
    elif text:
        click.echo(text.rstrip("\n"))
    if fmt == "text" and not output:
        click.echo(f"{len(run.findings)} finding(s) in {len(run.catalogs)} catalog(s) and {run.pages} page(s)",
                   err=True)
    sys.exit(exit_code(run.findings, fail_on or cfg.fail_on))


@cli.command()
@click.argument("code", required=False)
@handles_errors
def rules(code):
    """List the check rules, or explain one (l10n rules GL003)."""
    from .checks import RULES, get_rule
    if code:
        try:
            rule = get_rule(code.upper())
        except KeyError:
            raise L10nError(f"no rule {code!r}; `l10n rules` lists them") from None
        click.echo(rule.explain())
        return
    for r in RULES:
        click.echo(f"{r.code}  {r.severity.value if hasattr(r.severity, 'value') else r.severity:7}  {r.summary}")


@cli.group()
def glossary():
    """Export, import or extend the glossary (TBX, CSV; stubs for drugs it lacks)."""


@glossary.command("export")
@project_option
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "toml"]), default="tbx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False), help="Another glossary file.")
@handles_errors
def glossary_export(project, fmt, output, glossary_path):
    """Write the glossary as TBX (Translate Toolkit/Weblate read it) or CSV."""
    from .fsutil import atomic_write
    from .glossary import dump_glossary, load_glossary, write_csv, write_tbx
    cfg = _cfg(project)
    g = load_glossary(glossary_path or cfg.glossary)
    data = {"tbx": lambda: write_tbx(g), "csv": lambda: write_csv(g), "toml": lambda: dump_glossary(g)}[fmt]()
    if output:
        atomic_write(output, data)
    else:
        click.echo(data.decode() if isinstance(data, bytes) else data, nl=False)


@glossary.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@project_option
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv"]), default=None,
              help="Input format (default: from the file name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Glossary file to write (default: the project's glossary).")
@handles_errors
def glossary_import(source, project, fmt, output):
    """Read a TBX or CSV glossary, validate it, and write it as the project's TOML glossary."""
    from .fsutil import atomic_write
    from .glossary import dump_glossary, read_csv, read_tbx
    fmt = fmt or ("csv" if source.lower().endswith(".csv") else "tbx")
    with open(source, "rb") as f:
        raw = f.read()
    g = read_tbx(raw, source) if fmt == "tbx" else read_csv(raw.decode("utf-8-sig"), source)
    cfg = _cfg(project)
    from .data import default_glossary_path
    if not output and cfg.glossary == default_glossary_path():      # never write into the installed package
        raise L10nError("this project names no glossary file (it uses the packaged one): set glossary in "
                        "[tool.l10n] or pass -o FILE", cfg.rel(cfg.pyproject or cfg.root))
    dest = output or str(cfg.glossary)
    atomic_write(dest, dump_glossary(g))
    click.echo(f"wrote {dest}: {len(g.concepts)} concepts")


@glossary.command("suggest")
@click.argument("paths", nargs=-1, type=click.Path())
@project_option
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False), help="Another glossary file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@handles_errors
def glossary_suggest(paths, project, glossary_path, output):
    """Print stub concepts for drugs named in English that the glossary lacks (GL018), in its TOML layout.

    \b
    Looks at the pages and every catalog's msgids (or PATHS). Each stub has the
    ingredient filled in; add the zh_TW/zh_CN names and a source, then paste it in.
    """
    from .drugs.suggest import suggest_text
    from .fsutil import atomic_write
    from .glossary.cache import load_glossary_cached
    from .project import check_project
    cfg = _cfg(project)
    run = check_project(cfg, paths, glossary_path=glossary_path, select=["GL018"], ignore=())
    g = load_glossary_cached(glossary_path or cfg.glossary, cfg.root / ".l10n-cache")
    text = suggest_text(run.findings, g)
    if output:
        atomic_write(output, text)
    elif text:
        click.echo(text, nl=False)
    if not text:
        click.echo("every drug named in English has a glossary concept", err=True)


@cli.command()
@project_option
@wait_option
@click.option("--from", "src", default="zh_TW", show_default=True, help="Locale to convert from.")
@click.option("--to", "dst", default="zh_CN", show_default=True, help="Locale to fill.")
@click.option("--accept", is_flag=True,
              help="Do not mark converted entries fuzzy (earlier conversions nobody edited are accepted too).")
@click.option("--refresh", is_flag=True,
              help="Convert again the entries whose zh_TW text changed since they were converted, "
                   "unless a reviewer edited them.")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False), help="Another glossary file.")
@handles_errors
@locked
def convert(cfg, project, src, dst, accept, refresh, glossary_path):
    """Fill missing zh_CN translations from zh_TW with OpenCC and the glossary's terms."""
    from .zhconvert import convert_catalogs
    for r in convert_catalogs(cfg, src, dst, accept=accept, refresh=refresh, glossary_path=glossary_path):
        parts = [f"{r.filled} filled{'' if accept or not r.filled else ' (fuzzy)'}"]
        if refresh:
            parts.append(f"{r.refreshed} refreshed{'' if accept or not r.refreshed else ' (fuzzy)'}")
        if r.accepted:
            parts.append(f"{r.accepted} accepted")
        click.echo(f"{r.path}: {', '.join(parts)}")
        for where in r.kept:
            click.echo(f"{where}: kept: edited by a reviewer, but its {src} text has changed since it was "
                       "converted; review it", err=True)


@cli.command()
@project_option
@wait_option
@click.option("-l", "--locale", "locales", multiple=True, required=True, help="Locale to accept (repeatable).")
@click.option("--domain", "domains", multiple=True, help="Only this catalog (page domain; repeatable).")
@click.option("--origin", type=click.Choice(["all", "convert", "tm"]), default="all", show_default=True,
              help="Only entries filled by `l10n convert` or by the translation memory.")
@handles_errors
@locked
def accept(cfg, project, locales, domains, origin):
    """Accept reviewed fuzzy entries in bulk: clear their fuzzy mark and #| previous msgid
    (like msgattrib --clear-fuzzy --clear-previous)."""
    from .zhconvert import accept_fuzzy
    for r in accept_fuzzy(cfg, locales, domains=domains, origin=origin):
        click.echo(f"{r.path}: {r.accepted} accepted; {r.stats.msgfmt_line()}")


@cli.group("tm")
def tm_group():
    """Translation memory: import or export TMX 1.4b (Trados, memoQ, OmegaT, Weblate)."""


@tm_group.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@project_option
@wait_option
@handles_errors
@locked
def tm_import(cfg, project, source):
    """Add the units of a TMX file to the project's memory ([tool.l10n.tm] memory)."""
    from .tm import import_tmx
    r = import_tmx(cfg, source)
    skipped = f", {r.skipped} skipped (a language this project does not have)" if r.skipped else ""
    click.echo(f"{source}: {r.read} units read, {r.added} new{skipped}; {r.memory}: {r.total} units")


@tm_group.command("export")
@project_option
@click.option("-l", "--locale", "locales", multiple=True, help="Only translations into this locale (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@handles_errors
def tm_export(project, locales, output):
    """Write every translated catalog entry and the imported memory as TMX 1.4b."""
    from .tm import export_tmx
    data, n = export_tmx(_cfg(project), locales or None)
    if output:
        from .fsutil import atomic_write
        atomic_write(output, data)
        click.echo(f"wrote {output}: {n} units", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


# -- preview ------------------------------------------------------------------------------

@cli.command()
@project_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the preview is meant for this machine).")
@click.option("--port", default=8000, type=click.IntRange(0, 65535), show_default=True,
              help="Port (0: any free port).")
@click.option("--no-watch", is_flag=True, help="Serve the site as built; do not rebuild on changes.")
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy translations.")
@handles_errors
def serve(project, host, port, no_watch, use_fuzzy):
    """Preview the site on localhost; rebuild when a page or a .po file is saved."""
    from .serve import Preview
    Preview(_cfg(project), host=host, port=port, use_fuzzy=use_fuzzy,
            echo=lambda m: click.echo(m, err=True)).serve_forever(watch=not no_watch)


def main() -> None:
    """The ``l10n`` command (the console script): the process ends with the command."""
    import gc

    try:
        cli()
    finally:
        # the interpreter's last collection need not walk what the command left alive (a check
        # run: the glossary, the catalogs, the findings; ~0.05-0.1 s)
        gc.freeze()


if __name__ == "__main__":
    main()
