"""The glossary's TOML reader (``l10n.glossary._toml``: rtoml) gives tomllib's result or steps aside.

``parse_glossary`` reads the text with ``_toml.loads`` and, when rtoml refuses it, with
``tomllib`` (which words the error); both must end in the same glossary or the same error.
"""
from __future__ import annotations

import dataclasses
import random
import re
import tomllib
from pathlib import Path

import pytest

from l10n.errors import GlossaryError
from l10n.glossary import _toml, dump_glossary, io, parse_glossary

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "locales" / "glossary.toml"
BAD = sorted((Path(__file__).parent / "fixtures" / "glossary" / "bad").glob("*.toml"))


def _tomllib_or_error(text: str):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "error"


# What TOML 1.1 added and rtoml reads, but tomllib (TOML 1.0) refuses: \e and \xHH escapes,
# a trailing comma or a line break inside an inline table.
_TOML_11 = re.compile(r'\\e|\\x[0-9A-Fa-f]{2}|,[ \t]*\}|\{[^}\n]*\n')


def _same_as_tomllib(text: str) -> bool:
    """rtoml gives tomllib's dict, or refuses what tomllib refuses (which then words the error),
    or reads a TOML 1.1 extension that tomllib does not know yet."""
    fast = _toml.loads(text)
    slow = _tomllib_or_error(text)
    if fast is None or fast == slow:
        return True
    return slow == "error" and bool(_TOML_11.search(text))


def test_shipped_glossary_is_read_by_the_fast_reader() -> None:
    text = SHIPPED.read_text("utf-8")
    fast = _toml.loads(text)
    assert fast is not None and fast == tomllib.loads(text)


def test_canonical_dump_is_read_by_the_fast_reader() -> None:
    text = dump_glossary(parse_glossary(SHIPPED.read_text("utf-8")))
    assert _toml.loads(text) == tomllib.loads(text)


@pytest.mark.parametrize("text", [
    '[[concept]]\nid = "a"\ntype = "term"\nen = { preferred = "x" }\n',
    '[[concept]]\r\nid = "a"\r\n',                                      # CRLF, as tomllib reads it
    '  [[ concept ]]  # c\n\tid=\t"a"   # c\n',
    '[[concept]]\nid = "tab\there"\n',
    '[[concept]]\nid = "\\u00e9\\U0001F600 \\" \\\\ \\n\\t\\b\\f\\r"\n',
    '[[concept]]\nstrengths = []\nnote = ""\n',
    '[[concept]]\nstrengths = ["1%", "2 mg",]\n',
    '[[concept]]\nen = { preferred = "a", admitted = ["b", { text = "c", note = "d" }], forbidden = [] }\n',
    '[[concept]]\nen = { admitted = ["b"], preferred = "a" }\n',
    '[[concept]]\nen = {}\n',
    '[[concept]]\nen = { preferred = { text = "a", note = "n" } }\n',
    '[[concept]]\ndnt = true\n[[concept]]\ndnt = false\n',
    '# only a comment\n\n',
    '',
])
def test_the_usual_layout_reads_like_tomllib(text: str) -> None:
    fast = _toml.loads(text)
    assert fast is not None
    assert fast == tomllib.loads(text)


@pytest.mark.parametrize("text", [
    'id = "a"\n',                                           # a key before any table
    '[[concept]]\nid = "a"\nid = "b"\n',                    # duplicate key
    '[[concept]]\nen = { preferred = "a", preferred = "b" }\n',
    '[[concept]]\nen = { preferred = "a", }\n',             # trailing comma in an inline table
    '[[concept]]\nid = "a" "b"\n',
    '[[concept]]\nid = \'literal\'\n',
    '[[concept]]\nid = """multi"""\n',
    '[[concept]]\nid = "\\x41"\n',
    '[[concept]]\nid = "\\uD800"\n',                        # a surrogate: not a scalar value
    '[[concept]]\nid = "\\u12"\n',
    '[[concept]]\nid = "bell\x07"\n',
    '[[concept]]\nid = "a"\rtype = "b"\n',
    '[[concept]]\ndnt = 1\n',
    '[[concept]]\ndnt = True\n',
    '[[concept]]\ndnt = trueish\n',
    '[[concept]]\nen.preferred = "a"\n',
    '[[concept]]\n"id" = "a"\n',
    '[concept]\nid = "a"\n',
    '[[concept]] id = "a"\n',
    '[[concept]]\nstrengths = [[]]\n',
    '[[concept]]\nstrengths = ["a", 1]\n',
    '[[concept]]\nstrengths = [\n"a"]\n',
    '[[concept]]\nid = "unterminated\n',
    '[[concept]]\nen = { preferred = "a"\n',
])
def test_unusual_or_bad_toml_reads_like_tomllib_or_steps_aside(text: str) -> None:
    assert _same_as_tomllib(text)


@pytest.mark.parametrize("text", ['[[concept]]\nen = { preferred = "a", }\n', '[[concept]]\nid = "\\x41"\n',
                                  '[[concept]]\nid = "\\e"\n'])
def test_toml_11_extensions_are_read(text: str) -> None:
    """rtoml reads TOML 1.1; Python's tomllib is TOML 1.0 and refuses these."""
    assert _tomllib_or_error(text) == "error" and _toml.loads(text) is not None


def _mutations(text: str, rnd: random.Random, n: int) -> list[str]:
    lines = text.split("\n")
    tokens = ['"', "'", "\\", "\\u00e9", "\\uD800", "#", "=", "[", "]", "{", "}", ",", " ", "\t", "\r", "\x01",
              "true", "false", "1", "[[concept]]", "id", "en", ".", '""', "preferred", "admitted"]
    out = []
    for _ in range(n):
        ls = list(lines)
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randrange(len(ls))
            kind = rnd.random()
            if kind < 0.4 and ls[i]:
                j = rnd.randrange(len(ls[i]) + 1)
                ls[i] = ls[i][:j] + rnd.choice(tokens) + ls[i][j:]
            elif kind < 0.7 and ls[i]:
                j = rnd.randrange(len(ls[i]))
                ls[i] = ls[i][:j] + ls[i][j + 1:]
            elif kind < 0.85:
                ls.insert(i, ls[rnd.randrange(len(ls))])
            else:
                del ls[i]
        out.append("\n".join(ls))
    return out


def test_mutated_glossaries_read_like_tomllib_or_step_aside() -> None:
    base = SHIPPED.read_text("utf-8")
    head = base[:base.index("[[concept]]", base.index("[[concept]]") + 200 * 40)]   # ~40 concepts
    rnd = random.Random(20261121)
    texts = _mutations(head, rnd, 1500)
    assert all(_same_as_tomllib(t) for t in texts)


def _parse_both(text: str, monkeypatch: pytest.MonkeyPatch):
    """parse_glossary's outcome with the fast reader and with tomllib alone: value or error text."""
    def outcome():
        try:
            g = parse_glossary(text, "g.toml")
            return [(c, c.line) for c in g.concepts]
        except GlossaryError as exc:
            return ("error", str(exc))
    fast = outcome()
    with monkeypatch.context() as m:
        m.setattr(_toml, "loads", lambda text: None)
        slow = outcome()
    return fast, slow


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_glossaries_give_the_same_errors(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _parse_both(path.read_text("utf-8"), monkeypatch)
    assert fast == slow and fast[0] == "error"


def test_mutated_glossaries_give_the_same_result_or_error(monkeypatch: pytest.MonkeyPatch) -> None:
    base = SHIPPED.read_text("utf-8")
    head = base[:base.index("[[concept]]", base.index("[[concept]]") + 200 * 25)]
    rnd = random.Random(7)
    for text in _mutations(head, rnd, 400):
        fast, slow = _parse_both(text, monkeypatch)
        assert fast == slow, text


def test_fast_concept_checks_agree_with_the_full_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_concept_ok`` (one pass) only says yes where ``_check_concept``'s rules find nothing,
    and ``_concept_from_toml_fast`` builds what ``_concept_from_toml`` builds."""
    g = parse_glossary(SHIPPED.read_text("utf-8"))
    rnd = random.Random(11)
    odd = ["", " x", "x ", "a\x01", "Protopic", "protopic", "普特皮", "0.1%", "5 mg/mL", "1 kg", "n\nl", "t\tb"]

    def variants(c):
        yield c
        for _ in range(12):
            terms = list(c.terms)
            k = rnd.random()
            if k < 0.3 and terms:
                i = rnd.randrange(len(terms))
                terms[i] = dataclasses.replace(terms[i], **{rnd.choice(["text", "note", "status", "locale"]):
                                                            rnd.choice(odd + ["preferred", "admitted", "fr"])})
            elif k < 0.5 and terms:
                terms.append(rnd.choice(terms))
            elif k < 0.6 and terms:
                del terms[rnd.randrange(len(terms))]
            change = {"terms": tuple(terms)}
            if rnd.random() < 0.3:
                field = rnd.choice(["id", "type", "generic", "strengths", "source", "note", "dnt"])
                change[field] = {"id": rnd.choice(["", "A", "a-", "ok-id"]), "type": rnd.choice(["brand", "x", ""]),
                                 "generic": rnd.choice([None, "", "tacrolimus"]),
                                 "strengths": tuple(rnd.sample(odd, 2)), "source": rnd.choice(odd),
                                 "note": rnd.choice(odd), "dnt": rnd.random() < 0.5}[field]
            yield dataclasses.replace(c, **change)

    def slow_accepts(c) -> bool:
        with monkeypatch.context() as m:
            m.setattr(io, "_concept_ok", lambda c: False)
            try:
                io._check_concept(c, 0, "g.toml")
                return True
            except GlossaryError:
                return False

    seen = {True: 0, False: 0}
    for c in g.concepts:
        for v in variants(c):
            ok = io._concept_ok(v)
            assert ok == slow_accepts(v), v
            seen[ok] += 1
    assert seen[True] > 50 and seen[False] > 50

    tables = tomllib.loads(SHIPPED.read_text("utf-8"))["concept"]
    fast_built = 0
    for i, t in enumerate(tables):
        fast = io._concept_from_toml_fast(t, 7)
        if fast is not None:
            fast_built += 1
            slow = _slow_concept(t, i, monkeypatch)
            assert fast == slow and fast.line == slow.line
    assert fast_built > len(tables) // 2


def _slow_concept(table: dict, index: int, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as m:
        m.setattr(io, "_concept_from_toml_fast", lambda raw, line: None)
        return io._concept_from_toml(table, index, 7, "g.toml")


def test_fast_concept_tables_agree_with_the_full_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """On odd tables too: the fast builder gives the full reader's concept, or steps aside."""
    tables = tomllib.loads(SHIPPED.read_text("utf-8"))["concept"]
    rnd = random.Random(3)
    values = ["", "x", 1, True, [], ["a"], ["a", 2], {}, {"preferred": "p"}, {"preferred": ["p"]},
              {"preferred": "p", "admitted": "a"}, {"preferred": "p", "admitted": [{"text": "t", "note": "n"}]},
              {"preferred": {"text": "t"}}, {"preferred": "p", "other": ["o"]}, {"admitted": ["a"]}]
    keys = ["id", "type", "generic", "strengths", "dnt", "source", "note", "en", "zh_TW", "zh_CN", "fr", "extra"]

    def outcome(table, fast: bool):
        with monkeypatch.context() as m:
            if not fast:
                m.setattr(io, "_concept_from_toml_fast", lambda raw, line: None)
            try:
                c = io._concept_from_toml(table, 0, 9, "g.toml")
                return c, c.line, [list(vars(t).items()) for t in c.terms], list(vars(c).items())
            except GlossaryError as exc:
                return str(exc)

    for _ in range(3000):
        table = dict(rnd.choice(tables))
        for _ in range(rnd.randint(0, 2)):
            k = rnd.choice(keys)
            if rnd.random() < 0.2:
                table.pop(k, None)
            else:
                table[k] = rnd.choice(values)
        assert outcome(table, True) == outcome(table, False), table


def test_concept_headers_are_found_where_the_line_regex_finds_them() -> None:
    import re

    line_regex = re.compile(r'^[ \t]*\[\[[ \t]*"?concept"?[ \t]*\]\]', re.M)
    rnd = random.Random(9)
    pieces = ["[[concept]]", "[[ concept ]]", '[["concept"]]', "x", "  ", "\t", "\n", "\n", "[[", "concept", "]]",
              "#", "[[[[concept]]", " [[concept]]\n", 'id = "[[concept]]"']
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 15)))
        want = [text.count("\n", 0, m.start()) + 1 for m in line_regex.finditer(text)]
        assert io._header_lines(text) == want, text
