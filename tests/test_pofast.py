"""l10n.poread reads catalogs like polib (the reference) and gives up where polib must decide.

(Its writer's oracle is GNU gettext: tests/test_po_format.py.)"""
from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest

from l10n import catalogs, poread

ROOT = Path(__file__).resolve().parents[1]


def _catalog_files() -> list[Path]:
    files = sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").rglob("*.pot"))
    files += sorted((ROOT / "tests" / "fixtures").rglob("*.po"))
    return files


def _polib(text: str) -> polib.POFile:
    po = polib.pofile(catalogs._PoText(text + "\n"), wrapwidth=catalogs.WRAPWIDTH, check_for_duplicates=True,
                      klass=catalogs._KeyedPOFile)
    po.__dict__.pop("_keys", None)
    po.__class__ = polib.POFile
    return po


def _fast(text: str):
    return poread.parse(text, polib.POFile, polib.POEntry, wrapwidth=catalogs.WRAPWIDTH,
                         encoding=polib.detect_encoding(catalogs._PoText(text + "\n")))


def _same(a: polib.POFile, b: polib.POFile) -> None:
    assert type(a) is type(b) and a.__dict__ == b.__dict__
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert type(x) is type(y) and x.__dict__ == y.__dict__, (x.__dict__, y.__dict__)


def test_every_shipped_catalog_is_read_like_polib():
    n = 0
    for path in _catalog_files():
        text = path.read_text("utf-8", errors="replace").replace("\r\n", "\n")
        try:
            ref = _polib(text)
        except Exception:  # noqa: BLE001 - bad fixtures: the fast reader must give up on them
            assert _fast(text) is None, path
            continue
        fast = _fast(text)
        assert fast is not None, path
        _same(ref, fast)
        n += 1
    assert n >= 6


@pytest.mark.parametrize("seed", range(4))
def test_random_and_broken_catalogs_are_read_like_polib_or_left_to_it(seed):
    rng = random.Random(100 + seed)
    alphabet = list("ab c\"\\\n\t中文#:,.|~") + ["msgid", "msgstr", " x", "\u2028", "  "]

    def rs(n: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))

    parsed = 0
    for _ in range(1500):
        po = polib.POFile()
        po.metadata = {"Project-Id-Version": "x", "Content-Type": "text/plain; charset=UTF-8"}
        po.header = rng.choice(["", "h1\n\nh3", "\nx"])
        po.metadata_is_fuzzy = rng.random() < 0.2
        for i in range(rng.randint(0, 6)):
            e = polib.POEntry(msgid=f"{i}" + rs(30), msgstr=rs(30), msgctxt=rng.choice([None, rs(5)]),
                              comment=rng.choice(["", rs(20), "a\n\nb"]), tcomment=rng.choice(["", rs(20), "\nq"]),
                              occurrences=[(rng.choice(["a.html", "b:c", "x"]), rng.choice(["1", "", "x"]))
                                           for _ in range(rng.randint(0, 3))],
                              flags=rng.sample(["fuzzy", "c-format", ""], rng.randint(0, 2)),
                              previous_msgid=rng.choice([None, rs(20)]), obsolete=rng.random() < 0.2)
            if rng.random() < 0.15:
                e.msgid_plural = rs(10)
                e.msgstr_plural = {0: rs(10), 1: rs(10)}
            po.append(e)
        lines = rng.choice([po.__unicode__(), catalogs.po_text(po)]).split("\n")
        for _ in range(rng.choice([0, 0, 1, 2])):          # break it a little
            k = rng.randrange(len(lines))
            op = rng.randrange(4)
            if op == 0:
                del lines[k]
            elif op == 1:
                lines.insert(k, rng.choice(["#", "#~", "#~|", "#:", "#.", "#| msgid", "#| \"x\"", "msgstr[12] \"x\"",
                                            "#x", "\ufeff", "\"z\"", "#~ \"q\"", "#~ # c"]))
            elif op == 2:
                j = rng.randrange(len(lines))
                lines[k], lines[j] = lines[j], lines[k]
            else:
                lines[k] = "  " + lines[k] + " \t"
        text = "\n".join(lines)
        try:
            catalogs._check_syntax(text, "x")
            catalogs._check_strings(text, "x")
        except Exception:  # noqa: BLE001 - refused before any parser sees it
            continue
        fast = _fast(text)
        try:
            ref = _polib(text)
        except Exception:  # noqa: BLE001
            assert fast is None, text          # polib refuses it: so must the fast reader
            continue
        if fast is not None:
            _same(ref, fast)
            parsed += 1
    assert parsed > 500
