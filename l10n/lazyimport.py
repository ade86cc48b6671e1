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
