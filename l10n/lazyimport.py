"""Modules that a library imports but a command rarely uses, loaded on first use.

BeautifulSoup imports soupsieve (CSS selectors: 40 ms of regular expressions compiled
at import), chardet (guessing the encoding of bytes) and, through html5lib's serializer
and xml.sax.saxutils, urllib.request (another 20 ms, with http.client, ssl and the e-mail
parser). The walker uses none of them: pages are decoded by :mod:`l10n.html.encoding` and
no CSS selector is run. :func:`defer` puts a stand-in
for such a module in ``sys.modules``; the first attribute anyone reads from it imports
the real module, which then replaces it. Whoever uses the module gets the real one, so
this changes when its code runs, never what it does.

The standard library's :class:`importlib.util.LazyLoader` does not do here: the
``import`` statement itself reads ``__spec__`` from a module it finds in ``sys.modules``
(CPython 3.11), and that read runs a LazyLoader module at once.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types


class Deferred(types.ModuleType):
    """A stand-in module: its ``__spec__`` is the real module's, any other attribute loads it."""

    def __getattr__(self, attr: str) -> object:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)        # who kept the stand-in sees the real module's names
        return getattr(real, attr)


def defer(*names: str) -> None:
    """Import each of ``names`` (dotted module names) when it is first used; a module
    already imported, or not installed, is left as it is."""
    for name in names:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)     # imports the parent package, if any
        except (ImportError, ValueError):
            continue
        if spec is None or name in sys.modules:
            continue
        stand_in = Deferred(name)
        stand_in.__spec__ = spec
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent:                        # ``import http.client`` then ``http.client.X`` finds it
            setattr(sys.modules[parent], child, stand_in)


def import_bs4_html5lib_on_first_use() -> None:
    """Import BeautifulSoup with its html5lib tree builder registered but not yet imported.

    bs4 imports html5lib at its own import to register that builder (~40 ms, html5lib's
    parser tables and serializer), which every command that parses a page would pay; the
    walker needs html5lib only for a page libxml2 repairs its own way. Here bs4 is imported
    without it, and a stand-in class takes html5lib's place in bs4's registry, with its
    features and priority (below lxml, above html.parser): asked for by
    ``BeautifulSoup(text, "html5lib")``, it imports html5lib and makes the real builder.
    Anyone using bs4 gets what bs4 alone would give. Does nothing once bs4 is imported.
    """
    if "bs4" in sys.modules or importlib.util.find_spec("html5lib") is None:
        return
    sys.modules["bs4.builder._html5lib"] = None       # type: ignore[assignment]  # bs4: "not installed"
    try:
        import bs4  # noqa: F401 - registers the other builders
    finally:
        del sys.modules["bs4.builder._html5lib"]
    from bs4.builder import TreeBuilder, builder_registry

    class Html5libOnFirstUse(TreeBuilder):
        """html5lib's place in the registry until its first use."""
        NAME = "html5lib"
        features = ["html5lib", "permissive", "html5", "html"]

        def __new__(cls, *args: object, **kwargs: object) -> TreeBuilder:  # type: ignore[misc]
            from bs4.builder._html5lib import HTML5TreeBuilder
            return HTML5TreeBuilder(*args, **kwargs)

    # bs4 registers html.parser, then html5lib, then lxml: the last registered is preferred
    # for a feature they share, so html5lib's stand-in goes in just below lxml's builders
    for feature in Html5libOnFirstUse.features:
        found = builder_registry.builders_for_feature[feature]
        at = max((i + 1 for i, b in enumerate(found) if b.NAME == "lxml" or "lxml" in b.features), default=0)
        found.insert(at, Html5libOnFirstUse)
    at = max((i + 1 for i, b in enumerate(builder_registry.builders) if "lxml" in b.features), default=0)
    builder_registry.builders.insert(at, Html5libOnFirstUse)
