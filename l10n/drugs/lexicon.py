"""Every drug written in English, from the drug-named-entity-recognition lexicon.

The package (MIT, Fast Data Science) ships one data file,
``drug_ner_dictionary.pkl.bz2``: about 107,000 lower-cased names and brands
(MeSH, DrugBank, MedlinePlus, Wikipedia), each resolved to one of about 20,000
canonical drugs ("plaquenil" -> "hydroxychloroquine"). Importing the package
itself unpickles that file and builds an n-gram table for fuzzy matching
(~2 s); l10n never imports it: it reads the data file and keeps what it needs::

    lex = load_lexicon(cache_dir=".l10n-cache")      # cold ~1.5 s, then ~0.1 s from the cache
    lex.find("Plaquenil 200 mg, not hydroxyzine")
    # [DrugHit(0, 9, 'Plaquenil', 'plaquenil', 'hydroxychloroquine', 'hydroxychloroquine', True), ...]

What is kept (see ``l10n/drugs/lexicon.toml`` for the data that steers it):

* canonical drugs known to DrugBank, MedlinePlus or Wikipedia's drug lists, and
  MeSH-only ones with a one-word singular name (insulin, skatole); MeSH-only
  headings of families and classes ("rna, messenger", "anti-inflammatory
  agents", "sodium channels") are left out;
* every name of those, folded as text is (lower case, dashes folded,
  punctuation between words ignored), except names under 4 characters, names
  with markup debris, and the stop list;
* an identity per canonical drug: canonical drugs sharing a DrugBank id are
  one drug, and so is a name that differs only by trailing salt words
  ("prednisolone acetate" is prednisolone). A brand and its ingredient are one
  drug because the lexicon resolves the brand to the ingredient.

The result is cached as :mod:`marshal` in ``<cache_dir>/drug-lexicon/`` (the
project's ``.l10n-cache``) and in the per-user cache (``~/.cache/l10n``), named
by a hash of the package's data file, ``lexicon.toml`` and this module, so a
new package release or an edited stop list is a new key. Scanning looks each name up
through one "anchor" word (its longest): a text none of whose words is an anchor
costs one regular-expression pass and one set intersection; the rest look up the
few names around their anchor words in a dictionary. A pyahocorasick automaton
of the 100,000 names was tried first: 0.4-0.7 s to build and more to unpickle
(48 MB), more than a whole check run may spend, where the dictionary loads from
the cache in about 0.1 s.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Iterable, NamedTuple

from l10n.glossary.matcher import fold

__all__ = ["DrugHit", "Lexicon", "load_lexicon", "get_lexicon", "data_file", "settings_file",
           "name_key", "read_settings", "user_cache_dir", "LexiconError"]

_FORMAT = 3
_FOLDER = "drug-lexicon"
_KEEP = 4
_PACKAGE = "drug_named_entity_recognition"
_DATA = "drug_ner_dictionary.pkl.bz2"
_MIN_LEN = 4

# A word of a drug name: letters or digits, with inner apostrophes, dashes, dots (h.p., 5-fu, il-2).
# Letters against digits are two words, in names and in texts alike: Chinese text glues a Latin
# name to its dose (醫師開了Lipitor20 mg), as the glossary's matcher reads it too.
WORD_RE = re.compile(r"(?:[a-z]++|[0-9]++)(?:['.\-](?:[a-z]++|[0-9]++))*+")   # possessive: 10 % faster
_JUNK = re.compile(r"[<>{}=&|\[\]]|\bref\b")


class LexiconError(RuntimeError):
    """The lexicon package or its data file is missing or unreadable."""


class DrugHit(NamedTuple):
    """One drug name found in a text; ``text`` is ``original[start:end]``."""

    start: int
    end: int
    text: str
    key: str                 # the folded name that matched ("plaquenil")
    canonical: str           # the lexicon's canonical drug ("hydroxychloroquine")
    ident: str               # the drug identity (one per group of canonicals that are one drug)
    generic_name: bool       # the name is the canonical name or a generic synonym, not a brand


def name_key(name: str) -> str:
    """A name folded as the lexicon's keys are: lower case, words joined by one space."""
    return " ".join(WORD_RE.findall(fold(name)))


def data_file() -> Path:
    """The package's data file (found without importing the package, which is slow)."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LexiconError("the drug lexicon package is not installed (pip install drug-named-entity-recognition)")
    path = Path(list(spec.submodule_search_locations)[0]) / _DATA
    if not path.is_file():
        raise LexiconError(f"the drug lexicon's data file is missing: {path}")
    return path


def settings_file() -> Path:
    """``lexicon.toml``: the stop list and the salt words."""
    return Path(__file__).with_name("lexicon.toml")


class Lexicon:
    """Drug names → drug identities, and a scanner for English text.

    ``keys`` maps a folded name to an index into ``canonicals``; ``idents`` gives
    each canonical's identity (the index of the canonical that names the group);
    ``generic`` holds the keys that are generic names rather than brands.
    """

    __slots__ = ("keys", "canonicals", "idents", "generic", "followed_by", "anchors", "anchor_set", "source")

    def __init__(self, keys: dict[str, int], canonicals: list[str], idents: list[int],
                 generic: frozenset[str], followed_by: frozenset[str] = frozenset(), source: str = "",
                 anchors: dict[str, tuple[tuple[int, int], ...]] | None = None) -> None:
        self.keys = keys
        self.canonicals = canonicals
        self.idents = idents
        self.generic = generic
        self.followed_by = followed_by   # words after a name that make it part of a non-drug name
        self.source = source
        self.anchors = anchors if anchors is not None else anchors_of(keys)
        self.anchor_set = frozenset(self.anchors)

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, name: str) -> tuple[str, str] | None:
        """(canonical, identity) of a drug name as written anywhere (any case, punctuation), or None."""
        i = self.keys.get(name_key(name))
        if i is None:
            return None
        return self.canonicals[i], self.canonicals[self.idents[i]]

    def ident_of(self, name: str) -> str | None:
        got = self.lookup(name)
        return got[1] if got else None

    def find(self, text: str, low: str | None = None) -> list[DrugHit]:
        """Drug names in ``text``: whole words, longest name first, no overlaps, in text order.

        ``low``: ``fold(text)`` when the caller has it (or a copy with the same words a-z0-9)."""
        if not text:
            return []
        if low is None:
            low = fold(text)
        anchors = self.anchors
        words = WORD_RE.findall(low)
        present = self.anchor_set.intersection(words)
        if not present:
            return []
        n = len(words)
        keys = self.keys
        found: list[tuple[int, int, str]] = []            # (first word, word count, key)
        index = words.index
        for w in present:                                   # usually one or two anchor words
            places = anchors[w]
            j = -1
            while True:
                try:
                    j = index(w, j + 1)
                except ValueError:
                    break
                for at, length in places:
                    i = j - at
                    if i < 0 or i + length > n:
                        continue
                    key = w if length == 1 else " ".join(words[i:i + length])
                    if key in keys:
                        found.append((i, length, key))
        if not found:
            return []
        if len(found) > 1:
            found = sorted(set(found), key=lambda f: (-f[1], f[0]))
            taken = bytearray(n)
            chosen = []
            for f in found:
                if taken.find(1, f[0], f[0] + f[1]) == -1:
                    taken[f[0]:f[0] + f[1]] = b"\x01" * f[1]
                    chosen.append(f)
            found = sorted(chosen)
        spans = [(m.start(), m.end()) for m in WORD_RE.finditer(low)]     # same words, same order
        canonicals, idents, generic, after = self.canonicals, self.idents, self.generic, self.followed_by
        out: list[DrugHit] = []
        for i, length, key in found:
            if i + length < n and words[i + length] in after:
                continue
            c = keys[key]
            s, e = spans[i][0], spans[i + length - 1][1]
            out.append(DrugHit(s, e, text[s:e], key, canonicals[c], canonicals[idents[c]], key in generic))
        return out


# -- building -----------------------------------------------------------------------------

def anchors_of(keys: Iterable[str]) -> dict[str, tuple[tuple[int, int], ...]]:
    """Each name is found through one "anchor" word, its longest (as a rule the rarest):
    anchor -> ((position of the anchor in the name, words in the name), ...). A text none
    of whose words is an anchor (most texts) is passed over by one set test."""
    anchors: dict[str, list[tuple[int, int]]] = {}
    for key in keys:
        if " " not in key:
            anchors.setdefault(key, []).append((0, 1))
            continue
        words = key.split(" ")
        at = max(range(len(words)), key=lambda k: (len(words[k]), k))
        anchors.setdefault(words[at], []).append((at, len(words)))
    return {w: tuple(v) for w, v in anchors.items()}


def read_settings(raw: bytes) -> tuple[set[str], tuple[str, ...], frozenset[str]]:
    """(stop list, salt words, not-a-drug following words) of ``lexicon.toml``'s content, all folded."""
    from l10n.glossary import _toml

    text = raw.decode("utf-8")
    data = _toml.loads(text)
    if data is None:
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib

        data = tomllib.loads(text)
    stop = data.get("stop", {})
    names = {name_key(s) for group in stop.values() for s in group}
    salts = tuple(name_key(s) for s in data.get("same-drug", {}).get("salts", ()))
    after = frozenset(name_key(s) for s in data.get("not-a-drug", {}).get("followed-by", ()))
    return names, salts, after


def _kept(name: str, data: dict) -> bool:
    """A canonical drug l10n keeps (see the module docstring)."""
    if data.get("drugbank_id") or data.get("medline_plus_id") or data.get("wikipedia_url"):
        return True
    return bool(data) and " " not in name and "," not in name and not name.endswith("s")


def build(raw_pickle: dict, settings: bytes) -> tuple[dict[str, int], list[str], list[int], list[str]]:
    """(keys, canonicals, idents, generic keys) from the package's unpickled data and ``lexicon.toml``."""
    stop, salts, _ = read_settings(settings)
    salt_set = set(salts)
    v2c = raw_pickle["drug_variant_to_canonical"]
    c2d = raw_pickle["drug_canonical_to_data"]
    vdata = raw_pickle.get("drug_variant_to_variant_data", {})
    canonicals = sorted(c for c, d in c2d.items() if _kept(c, d))
    index = {c: i for i, c in enumerate(canonicals)}
    # identities: union of canonicals sharing a DrugBank id, or equal after dropping salt words
    parent = list(range(len(canonicals)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            # the group is named by its shortest canonical name (then alphabetical)
            keep, drop = sorted((ra, rb), key=lambda k: (len(canonicals[k]), canonicals[k]))
            parent[drop] = keep

    by_db: dict[str, int] = {}
    by_key = {name_key(c): i for i, c in enumerate(canonicals)}
    for i, c in enumerate(canonicals):
        db = c2d[c].get("drugbank_id")
        if db:
            if db in by_db:
                union(by_db[db], i)
            else:
                by_db[db] = i
        words = name_key(c).split(" ")
        while len(words) > 1 and words[-1] in salt_set:
            words.pop()
            base = " ".join(words)
            if base in salt_set:
                break
            j = by_key.get(base)
            if j is not None:
                union(j, i)
                break
    idents = [root(i) for i in range(len(canonicals))]
    keys: dict[str, int] = {}
    generic: list[str] = []
    for variant, cans in v2c.items():
        if not cans or _JUNK.search(variant):
            continue
        c = index.get(cans[0])
        if c is None:
            continue
        key = name_key(variant)
        if len(key) < _MIN_LEN or key in stop or not any(ch.isalpha() for ch in key) or key in keys:
            continue
        if " " in key and max(map(len, key.split(" "))) < 3:
            continue                   # "n on", "at 10": fragments, not names
        keys[key] = c
        vd = vdata.get(variant)
        if key == name_key(cans[0]) or (vd is not None and vd.get("is_brand") is False):
            generic.append(key)
    return keys, canonicals, idents, sorted(generic)


# -- loading and the cache -------------------------------------------------------------------

def _stamp(data: bytes, settings: bytes) -> str:
    h = hashlib.sha256()
    from l10n import __version__

    h.update(f"{__version__}\0{_FORMAT}\0{sys.version}\0".encode())
    try:
        h.update(Path(__file__).read_bytes())
    except OSError:
        pass
    h.update(hashlib.sha256(settings).digest())
    h.update(hashlib.sha256(data).digest())
    return h.hexdigest()[:40]


def user_cache_dir() -> Path:
    """The per-user cache (``$XDG_CACHE_HOME/l10n``, else ``~/.cache/l10n``): the lexicon depends on
    the installed package, not on a project, so every project on the machine shares one copy."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "l10n"


def load_lexicon(cache_dir: str | Path | None = None, *, shared: bool = True) -> Lexicon:
    """The lexicon, from a cache that holds this content, else built (~1.5 s) and cached.

    Caches looked at, in order: ``cache_dir`` (a project's ``.l10n-cache``) and, if
    ``shared``, :func:`user_cache_dir`; a built lexicon is written to both (where
    writable). ``cache_dir`` None and ``shared`` False: always built. Raises
    :class:`LexiconError` if the package is missing or its data unreadable.
    """
    path = data_file()
    try:
        data = path.read_bytes()
        settings = settings_file().read_bytes()
    except OSError as exc:
        raise LexiconError(f"cannot read the drug lexicon: {exc}") from None
    name = f"{_stamp(data, settings)}.marshal"
    folders = [Path(cache_dir)] if cache_dir is not None else []
    if shared:
        folders.append(user_cache_dir())
    files = [folder / _FOLDER / name for folder in folders]
    for f in files:
        try:
            fmt, keys, values, canonicals, idents, generic, after, anchors = marshal.loads(f.read_bytes())
            if fmt == _FORMAT:
                return Lexicon(dict(zip(keys, values)), canonicals, idents, frozenset(generic),
                               frozenset(after), source=str(path), anchors=anchors)
        except Exception:  # noqa: BLE001 - missing, truncated or foreign: the next one, or build it
            pass
    import bz2
    import pickle

    try:
        raw = pickle.loads(bz2.decompress(data))  # noqa: S301 - the installed package's own data file
    except Exception as exc:  # noqa: BLE001 - any unpickling failure is an unreadable data file
        raise LexiconError(f"cannot read the drug lexicon's data file {path}: {exc}") from None
    keys, canonicals, idents, generic = build(raw, settings)
    after = read_settings(settings)[2]
    anchors = anchors_of(keys)
    packed = (_FORMAT, list(keys), list(keys.values()), canonicals, idents, generic, sorted(after), anchors)
    for f in files:
        _save(f, packed)
    return Lexicon(keys, canonicals, idents, frozenset(generic), after, source=str(path), anchors=anchors)


def _save(f: Path, packed: tuple) -> None:
    from l10n.fsutil import atomic_write

    try:
        atomic_write(f, marshal.dumps(packed), durable=False)
    except (OSError, ValueError):
        return                         # a read-only project: no cache this time
    try:
        old = [e for e in os.scandir(f.parent) if e.name.endswith(".marshal") and e.name != f.name]
        old.sort(key=lambda e: e.stat().st_mtime_ns)
        for e in old[:max(0, len(old) - (_KEEP - 1))]:
            os.unlink(e.path)
    except OSError:
        pass


@functools.lru_cache(maxsize=4)
def get_lexicon(cache_dir: str | None = None) -> Lexicon:
    """``load_lexicon(cache_dir)``, once per process and cache folder (the rules share it)."""
    return load_lexicon(cache_dir)
