"""l10n._pofast writes catalogs byte for byte like catalogs.generate_po (the reference)."""
from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest

from l10n import _pofast, catalogs

ROOT = Path(__file__).resolve().parents[1]

ALPHABET = list("ab cd-ef/g 12３４中文字體，。、；：？！）」（「『【\"\\\n\t\r\a\b\f\v.,;:?!)([{%’”“‘»«-- 　ａｂ") + [
    "word", "supercalifragilisticexpialidocious", "<a1>", "</a1>", "  ", "１２", "²", "한국어", "😀", "\u2028"]


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, n)))


def test_the_twin_knows_the_same_rules():
    assert _pofast.ESCAPES == catalogs._ESCAPES
    assert _pofast.NO_BREAK_BEFORE == catalogs._NO_BREAK_BEFORE
    assert _pofast.NO_BREAK_AFTER == catalogs._NO_BREAK_AFTER
    assert _pofast.WRAPWIDTH == catalogs.WRAPWIDTH


@pytest.mark.parametrize("seed", range(6))
def test_fields_are_wrapped_like_the_reference(seed):
    rng = random.Random(seed)
    for _ in range(3000):
        value = _text(rng, rng.choice([10, 40, 120, 300]))
        keyword = rng.choice(["msgid", "msgstr", "msgctxt", "msgstr[0]", "msgid_plural"])
        prefix = rng.choice(["", "#~ ", "#| ", "#~| "])
        assert _pofast.field_lines(keyword, value, prefix) == catalogs._field(keyword, value, prefix), \
            (keyword, prefix, value)


def test_random_catalogs_are_written_like_the_reference():
    rng = random.Random(7)
    po = polib.POFile()
    po.metadata = {"Project-Id-Version": "x 1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "X-Note": _text(rng, 100).replace("\n", " ")}
    po.header = "A header\nwith two lines"
    for i in range(400):
        e = polib.POEntry(msgid=f"{i} " + _text(rng, 200), msgstr=_text(rng, 200),
                          msgctxt=rng.choice([None, _text(rng, 20)]), comment=rng.choice(["", "p, li"]),
                          tcomment=rng.choice(["", "translator says\nsomething"]),
                          occurrences=[(f"source_pages/qa/page-{k}.html", str(k)) for k in range(rng.randint(0, 6))],
                          flags=rng.sample(["fuzzy", "no-wrap", "python-format"], rng.randint(0, 2)),
                          previous_msgid=rng.choice([None, _text(rng, 90)]), obsolete=rng.random() < 0.1)
        if rng.random() < 0.1:
            e.msgid_plural = _text(rng, 50)
            e.msgstr_plural = {0: _text(rng, 50), 1: _text(rng, 50)}
        po.append(e)
    assert "\n".join(_pofast.generate_po(po)) == "\n".join(catalogs.generate_po(po))


def _catalog_files() -> list[Path]:
    files = sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").rglob("*.pot"))
    files += sorted((ROOT / "tests" / "fixtures").rglob("*.po"))
    return files


def test_every_shipped_catalog_is_written_like_the_reference():
    seen = 0
    for path in _catalog_files():
        try:
            po = catalogs.read_catalog(str(path))
        except Exception:   # noqa: BLE001 - fixtures of bad catalogs
            continue
        assert catalogs.po_text(po) == "\n".join(catalogs.generate_po(po)) + "\n", path
        seen += 1
    assert seen >= 6
