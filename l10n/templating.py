"""The Jinja2 templates the site and the reports are made from, and a publisher's overrides.

The templates ship in ``l10n/templates/``. A project may name a folder of its own in
``[tool.l10n] templates = "templates"``: a template there replaces the shipped one of the
same name (a Jinja2 ``ChoiceLoader``: the project's folder first, then the package), the
way Sphinx's ``templates_path`` and MkDocs' ``custom_dir`` work. ``l10n/<name>`` always
names the shipped template, so an override can extend or import it::

    {% extends "l10n/layout.html" %}
    {% block header %}<header>…</header>{% endblock %}

Autoescaping is on for every template. Templates are compiled once per set of files
(:func:`load_templates` is cached by the folder and the files' signatures, which
:func:`templates_sig` reads and :func:`l10n.config.load_config` keeps in the
:class:`~l10n.config.Config`), so a page version costs a macro call, not a compilation.
The pieces rendered for every page version (``chrome_head.html``, ``chrome_body.html``,
``index_line.html``) are macros: calling one costs a fraction of rendering a template.

A template that does not parse, or fails while rendering, is reported as a
:class:`~l10n.errors.TemplateError` naming the template file and line.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Protocol

from .errors import TemplateError

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["PACKAGE_TEMPLATES", "MACROS", "Templates", "templates_sig", "load_templates", "templates_for"]

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
# the templates called once per page version, and the macro each defines (its name)
MACROS = ("chrome_head", "chrome_body", "switcher", "notice", "index_line")


def _files(folder: Path) -> list[tuple[str, int, int]]:
    out = []
    for d, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue
            p = os.path.join(d, name)
            try:
                st = os.stat(p)
            except OSError:
                continue
            out.append((os.path.relpath(p, folder).replace(os.sep, "/"), st.st_mtime_ns, st.st_size))
    return out


def templates_sig(folder: Path | None) -> tuple:
    """What the templates are made of: (name, mtime_ns, size) of every file of the shipped
    templates and of the project's folder. A saved template changes it, so a build renders
    again (it is part of the settings' digest) and :func:`load_templates` compiles again."""
    return (tuple(_files(PACKAGE_TEMPLATES)), tuple(_files(folder)) if folder is not None else ())


class Templates:
    """A Jinja2 environment over the project's and the shipped templates, compiled once."""

    def __init__(self, folder: Path | None = None, cache_dir: Path | None = None):
        from jinja2 import (ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, PrefixLoader,
                            StrictUndefined, TemplateSyntaxError)
        shipped = FileSystemLoader(str(PACKAGE_TEMPLATES))
        loaders: list = [PrefixLoader({"l10n": shipped}, delimiter="/")]
        if folder is not None:
            loaders.append(FileSystemLoader(str(folder)))
        loaders.append(shipped)
        self.folder = folder
        bcc = None
        if cache_dir is not None:       # compiled templates kept on disk: loading them is 10x faster than compiling
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
                bcc = FileSystemBytecodeCache(str(cache_dir))
            except OSError:
                bcc = None
        self.env: Environment = Environment(
            loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined, auto_reload=False,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, bytecode_cache=bcc)
        self.macros: dict[str, Callable[..., str]] = {}     # name -> the macro, as a function returning text
        self.shipped_chrome = False     # the chrome's macros are the shipped ones (their output known, see below)
        self.memo: dict[tuple, Any] = {}    # what l10n.site.chrome_for renders once per shape of page
        shipped_macros: set[str] = set()
        try:                            # every template compiled now: a syntax error stops before any write
            for name in sorted(self.env.list_templates()):
                if name.endswith(".html") and not name.startswith("l10n/"):     # l10n/x: the same file as x
                    self.env.get_template(name)
            for name in MACROS:
                template = self.env.get_template(f"{name}.html")
                shipped = (template.filename or "").startswith(str(PACKAGE_TEMPLATES) + os.sep)
                if not shipped and not self._defines(template.name, name):
                    raise TemplateError(f"defines no macro {name!r} (see l10n/templates/{name}.html)",
                                        self._file(f"{name}.html"))
                self.macros[name] = self._wrap(getattr(template.module, name))
                if shipped:
                    shipped_macros.add(name)
            # the shipped chrome writes a page's path only inside links, as _rel made them
            self.shipped_chrome = {"chrome_head", "chrome_body", "switcher"} <= shipped_macros
        except TemplateSyntaxError as e:
            raise TemplateError(f"template syntax error: {e.message}", self._file(e.name or e.filename or ""),
                                e.lineno) from None
        except TemplateError:
            raise
        except Exception as e:  # noqa: BLE001 - a template's top level failed while loading
            raise self._error(e) from None

    def _defines(self, template: str, macro: str) -> bool:
        """Whether ``template`` defines ``macro`` at its top level (read from its syntax tree,
        without running it: a template that is not a macro would fail for want of variables)."""
        from jinja2 import nodes
        source = self.source(template)
        return any(m.name == macro for m in self.env.parse(source).find_all(nodes.Macro))

    def _file(self, name: str) -> str:
        """Where template ``name`` comes from: the project's file, else the shipped one."""
        if name.startswith("l10n/"):
            return str(PACKAGE_TEMPLATES / name[5:])
        if self.folder is not None and (self.folder / name).is_file():
            return str(self.folder / name)
        return str(PACKAGE_TEMPLATES / name) if name else "templates"

    def _error(self, e: BaseException) -> TemplateError:
        """A render error as a TemplateError at the template line it happened on (Jinja2
        rewrites tracebacks so that template frames carry the template's file and line)."""
        path, line = None, None
        tb: TracebackType | None = e.__traceback__
        roots = [str(PACKAGE_TEMPLATES)] + ([str(self.folder)] if self.folder is not None else [])
        while tb is not None:
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            if template is not None and template.filename:      # a template's compiled code: its line
                path, line = template.filename, template.get_corresponding_lineno(tb.tb_lineno)
            elif any(tb.tb_frame.f_code.co_filename.startswith(r + os.sep) for r in roots):
                path, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno      # a rewritten traceback
            tb = tb.tb_next
        return TemplateError(f"template failed: {type(e).__name__}: {e}", path or "templates", line)

    def _wrap(self, m: Callable[..., Any]) -> Callable[..., str]:
        def call(*args: Any) -> str:
            try:
                return str(m(*args))
            except Exception as e:  # noqa: BLE001 - any failure inside a template is the template's
                raise self._error(e) from None
        return call

    def source(self, name: str) -> str:
        """A file of the templates as it is (the project's, else the shipped one): ``l10n.css``."""
        text, _filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        return text

    def render(self, name: str, **context: Any) -> str:
        """Template ``name`` rendered with ``context``."""
        try:
            return self.env.get_template(name).render(**context)
        except Exception as e:  # noqa: BLE001 - any failure inside a template is the template's
            raise self._error(e) from None


@lru_cache(maxsize=8)
def load_templates(folder: Path | None, sig: tuple, root: Path | None = None) -> Templates:
    """The templates of ``folder`` (None: the shipped ones alone), compiled once for a given
    :func:`templates_sig` (a saved template gives a new signature, so a new compilation);
    compiled code is kept in ``<root>/.l10n-cache/templates/`` when a project ``root`` is given."""
    del sig                                 # the cache key: files as they were
    return Templates(folder, root / ".l10n-cache" / "templates" if root is not None else None)


class TemplateSettings(Protocol):
    """What :func:`templates_for` reads of a :class:`~l10n.config.Config` (which imports this
    module to sign the templates: the settings are described here, not imported)."""
    site_templates: Path | None
    site_templates_sig: tuple
    root: Path


def templates_for(cfg: "TemplateSettings | None") -> Templates:
    """The project's templates (its ``templates`` folder over the shipped ones), compiled code
    kept in ``.l10n-cache/templates/``; the shipped ones alone without a ``cfg``. Called for
    every page version: a cache lookup."""
    if cfg is None:
        return load_templates(None, ())
    return load_templates(cfg.site_templates, cfg.site_templates_sig, cfg.root)
