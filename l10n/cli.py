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


def _cfg(project: str | None):
    from .config import find_root, load_config
    root = Path(project).resolve() if project else find_root()
    if project and not root.is_dir():
        raise L10nError("project folder does not exist", project)
    return load_config(root)


def handles_errors(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*a, **kw):
        try:
            return fn(*a, **kw)
        except L10nError as e:
            click.echo(f"l10n: error: {e}", err=True)
            sys.exit(2)
    return wrapper


def locked(fn: Callable) -> Callable:
    """Run the command holding the project's lock (waits up to --wait seconds)."""
    @functools.wraps(fn)
    def wrapper(*a, **kw):
        from .fsutil import project_lock, sweep_temps
        cfg = _cfg(kw.get("project"))
        with project_lock(cfg.root, wait=kw.pop("wait", 0.0)):
            sweep_temps(cfg.locales_dir, cfg.output_dir, cfg.root / ".l10n-cache")  # a killed run's
            return fn(cfg, *a, **kw)
    return wrapper


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
    Checks:    check, rules, glossary, convert
    Settings:  [tool.l10n] in pyproject.toml
    """


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
@handles_errors
@locked
def update(cfg, project, locales):
    """Create or merge .po catalogs from the templates, like msgmerge."""
    from .project import update as run
    for r in run(cfg, locales or None, progress=_progress):
        click.echo(f"{r.path}: {'updated' if r.written else 'unchanged'}; {r.stats.msgfmt_line()}")


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
    n = 0
    for r in reports:
        for h in r.held:
            click.secho(f"HELD BACK: {h.line_text()}", err=True, fg="red", bold=True)
            n += 1
    if n:
        click.secho(f"{n} translation(s) held back by the check gate: readers see the source text "
                    "(fix them, or mark a reviewed finding '# l10n: ignore CODE')", err=True, fg="red", bold=True)
    return n


def _held_exit(held: int) -> int:
    from .gate import EXIT_HELD_BACK
    return EXIT_HELD_BACK if held else 0


def _report_render(rep, threshold: float) -> None:
    for w in rep.warnings:
        click.echo(f"warning: {w}", err=True)
    for p in rep.unpublished:
        click.secho(f"NOT PUBLISHED: {p.output} is {p.percent:.1f}% translated "
                    f"(threshold {threshold:g}%)", err=True, fg="red", bold=True)
    n = len(rep.pages) - len(rep.unpublished)
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
@click.option("--force", is_flag=True, help="Redo everything, as if nothing had been built.")
@click.option("--explain", is_flag=True, help="Say why the build redid what it redid (on stderr).")
@handles_errors
@locked
def build(cfg, project, use_fuzzy, force, explain):
    """extract + update + compile + render in one go (what `make` runs); exit 3 when the check gate
    held translations back."""
    from .project import build as run
    rep = run(cfg, use_fuzzy=use_fuzzy, force=force, progress=_progress,
              explain=(lambda m: click.echo(m, err=True)) if explain else None)
    click.echo(f"extract: {len(rep.extract.templates)} templates, {len(rep.extract.written)} written")
    click.echo(f"update:  {len(rep.update)} catalogs, {sum(r.written for r in rep.update)} written")
    errs = [e for r in rep.compile for e in r.errors]
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
    rows = project_stats(_cfg(project), locales or None)
    if fmt == "html":
        from .htmlreport import stats_html
        text = stats_html(rows)
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
@handles_errors
def check(paths, project, fmt, output, fail_on, glossary_path, source_lang, select, ignore):
    """Check translations against the glossary (default: every .po under locales/, and the pages).

    \b
    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad input.
    """
    from .fsutil import atomic_write
    from .project import check_project
    from .report import exit_code, format_findings
    cfg = _cfg(project)
    run = check_project(cfg, paths, glossary_path=glossary_path, source_lang=source_lang,
                        select=select, ignore=ignore)
    if fmt == "html":
        from .htmlreport import html_report
        text = html_report(run.findings, run.catalogs)
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
    """Export or import the glossary (TBX, CSV)."""


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
    dest = output or str(_cfg(project).glossary)
    atomic_write(dest, dump_glossary(g))
    click.echo(f"wrote {dest}: {len(g.concepts)} concepts")


@cli.command()
@project_option
@wait_option
@click.option("--from", "src", default="zh_TW", show_default=True, help="Locale to convert from.")
@click.option("--to", "dst", default="zh_CN", show_default=True, help="Locale to fill.")
@click.option("--accept", is_flag=True, help="Do not mark converted entries fuzzy.")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False), help="Another glossary file.")
@handles_errors
@locked
def convert(cfg, project, src, dst, accept, glossary_path):
    """Fill missing zh_CN translations from zh_TW with OpenCC and the glossary's terms."""
    from .project import convert_catalogs
    for r in convert_catalogs(cfg, src, dst, accept=accept, glossary_path=glossary_path):
        click.echo(f"{r.path}: {r.filled} filled{'' if accept or not r.filled else ' (fuzzy)'}")


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
    cli()


if __name__ == "__main__":
    main()
