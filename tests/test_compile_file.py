"""catalogs.compile_file (what ``l10n compile`` runs with the check gate off) gives what reading the
catalog and compiling it gives: the same .mo bytes, statistics and errors, the same CatalogError on
bad input, whether its fast scan (l10n.poread.scan) reads the catalog or hands it to the parser."""
from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest

from l10n import catalogs, poread
from l10n.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]


def _outcome(fn):
    try:
        return fn()
    except CatalogError as e:
        return ("error", str(e), e.path, e.line)


def _both(data: bytes, use_fuzzy: bool = False, name: str | None = "shown.po"):
    fast = _outcome(lambda: catalogs.compile_file("x.po", data, name=name, use_fuzzy=use_fuzzy))
    ref = _outcome(lambda: catalogs.compile_catalog(catalogs.read_catalog("x.po", data, name=name),
                                                    name or "x.po", use_fuzzy=use_fuzzy))
    return fast, ref


def _scanned(data: bytes) -> bool:
    return _scan(data) is not None


def _scan(data: bytes):
    try:
        return poread.scan(catalogs._catalog_text("x.po", data))
    except CatalogError:
        return None


def test_every_shipped_catalog_compiles_alike_and_is_scanned():
    files = sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "tests" / "fixtures").rglob("*.po"))
    scanned = 0
    for path in files:
        data = path.read_bytes()
        for use_fuzzy in (False, True):
            fast, ref = _both(data, use_fuzzy)
            assert fast == ref, path
        scanned += _scanned(data)
    # the shipped catalogs are in gettext's layout: all of them take the fast way
    assert scanned >= len(list((ROOT / "locales").rglob("*.po"))) > 6


HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Language: zh_TW\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n')


def test_the_scan_reads_fuzzy_context_escapes_and_continuations():
    text = HEADER + (
        '#. p\n#: a.html:3\n#, fuzzy, c-format\n#| msgid "old"\nmsgid "a"\nmsgstr "甲"\n\n'
        'msgctxt "menu"\nmsgid "a"\nmsgstr "乙"\n\n'
        '# translator\nmsgid ""\n"long \\"quoted\\" "\n"text\\n"\nmsgstr "長\\t"\n"文\\n"\n\n'
        'msgid "untranslated"\nmsgstr ""\n')
    header, units = poread.scan(text)
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header
    assert [u[:6] for u in units] == [(None, "a", "", "甲", True, False), ("menu", "a", "", "乙", False, False),
                                      (None, 'long "quoted" text\n', "", "長\t文\n", False, False),
                                      (None, "untranslated", "", "", False, False)]
    assert [text.count("\n", 0, u[6]) + 1 for u in units] == [12, 16, 20, 26]     # the msgid lines
    data = text.encode()
    for use_fuzzy in (False, True):
        fast, ref = _both(data, use_fuzzy)
        assert fast == ref and fast.errors == ()
    res = catalogs.compile_file("x.po", data)
    assert catalogs.read_mo(res.mo) == {("menu", "a"): "乙", (None, 'long "quoted" text\n'): "長\t文\n"}
    assert (res.stats.translated, res.stats.fuzzy, res.stats.untranslated) == (2, 1, 1)


def test_the_scan_reads_the_obsolete_entries_at_the_end():
    text = HEADER + ('msgid "a"\nmsgstr "甲"\n\n#, fuzzy\n#~| msgid "c0"\n#~ msgid "c"\n#~ msgstr "丙"\n\n'
                     '#~ msgctxt "x"\n#~ msgid "a"\n#~ msgstr ""\n"')
    text = text[:-1]
    header, units = poread.scan(text)
    assert [u[:6] for u in units] == [(None, "a", "", "甲", False, False), (None, "c", "", "丙", False, True),
                                      ("x", "a", "", "", False, True)]
    fast, ref = _both(text.encode())
    assert fast == ref and fast.stats.obsolete == 2 and catalogs.read_mo(fast.mo) == {(None, "a"): "甲"}


@pytest.mark.parametrize("text", [
    HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n',          # plural forms
    HEADER + 'msgid "a"\nmsgstr "x"\n\n#~ msgid "a"\n#~ msgstr "y"\n',  # an obsolete entry repeating a key
    HEADER + 'msgid "a"\nmsgstr "x"\n#~ "y"\n',                         # ... continuing an active msgstr
    HEADER + 'msgid "a"\nmsgstr "x"\n\n#~ msgid "b\\q"\n#~ msgstr "y"\n',  # ... with an odd escape
    HEADER + '#~ msgid "b"\n#~ msgstr "y"\n\nmsgid "a"\nmsgstr "x"\n',  # an active entry after one
    HEADER + 'msgid "a"\nmsgstr "x"\n\n#~ msgid "b"\n#~ msgstr "y"\n#| msgid "x"\n#~ "z"\n',  # ... one with no msgid
    HEADER + 'msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n',        # a duplicate
    HEADER + 'msgid "a"\nmsgstr "x\\q"\n',                              # an escape polib does not know
    HEADER + 'msgid "a"\nmsgstr "x" "y"\n',                             # two strings on a line
    HEADER + 'msgid "a"\nmsgstr "x\\"\n"y"\n',                          # an unterminated line
    HEADER + 'msgid "a"\nmsgstr "x"\n\nmsgid ""\nmsgstr "h"\n',         # a second header
    HEADER + 'msgid "a"\nmsgstr "x" \n',                                # trailing blanks
    HEADER + 'msgid "a"\nmsgstr "x"\n#.\n',                             # a comment last (polib drops "a")
    HEADER + '#,fuzzy\nmsgid "a"\nmsgstr "x"\n',                        # an odd comment
    HEADER + 'msgid "a"\n\nmsgstr "x"\n',                               # a blank line inside
])
def test_the_scan_leaves_anything_else_to_the_parser(text):
    assert poread.scan(text) is None
    fast, ref = _both(text.encode())
    assert fast == ref


@pytest.mark.parametrize("text, line", [
    (HEADER + 'msgid "a <b1>x</b1>"\nmsgstr "<b1>甲"\n', 8),              # a tag left open
    (HEADER + 'msgid "a\\n"\nmsgstr "甲"\n', 8),                          # "\n" at the end of one only
    (HEADER + '\nmsgctxt "c\x04"\nmsgid "a"\nmsgstr "甲"\n', 10),           # the context separator
])
def test_compile_errors_name_the_msgid_line(text, line):
    assert poread.scan(text) is not None
    fast, ref = _both(text.encode())
    assert fast == ref and fast.mo is None and fast.errors[0].startswith(f"shown.po:{line}: ")


def test_bad_headers_and_bytes_give_the_same_error():
    bad_plural = HEADER.replace("nplurals=1; plural=0;", "nplurals=one")
    for data in [(bad_plural + 'msgid "a"\nmsgstr "x"\n').encode(), b"", b"\x00\x01",
                 (HEADER + 'msgid "a"\nmsgstr "\xff"\n').encode("latin-1"),
                 (HEADER.replace("UTF-8", "KOI-9") + 'msgid "a"\nmsgstr "x"\n').encode()]:
        fast, ref = _both(data)
        assert fast == ref and fast[0] == "error" and fast[2] == "shown.po", data


@pytest.mark.parametrize("seed", range(4))
def test_random_and_broken_catalogs_compile_alike(seed):
    rng = random.Random(500 + seed)
    alphabet = list("ab c\"\\\n\t中文#:,.|~<>") + ["<b1>", "</b1>", "<br1/>", "\x04", "\\n", "msgid", " x",
                                                  "\u2028", "  "]

    def rs(n: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))

    scanned = with_obsolete = 0
    for _ in range(800):
        po = polib.POFile()
        po.metadata = {"Project-Id-Version": "x", "Content-Type": "text/plain; charset=UTF-8",
                       "Plural-Forms": rng.choice(["nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);",
                                                   "nplurals=INTEGER; plural=EXPRESSION;", "bad"])}
        po.metadata_is_fuzzy = rng.random() < 0.2
        for i in range(rng.randint(0, 6)):
            msgid = f"{i}" + rs(30)
            e = polib.POEntry(msgid=msgid, msgstr=rng.choice(["", rs(30), msgid[::-1]]),
                              msgctxt=rng.choice([None, None, rs(5)]),
                              comment=rng.choice(["", rs(20)]), tcomment=rng.choice(["", rs(20)]),
                              occurrences=[("a.html", "1")] if rng.random() < 0.5 else [],
                              flags=rng.sample(["fuzzy", "c-format", "no-wrap"], rng.randint(0, 2)),
                              previous_msgid=rng.choice([None, None, rs(20)]), obsolete=rng.random() < 0.2)
            if rng.random() < 0.05:
                e.msgid_plural = rs(10)
                e.msgstr_plural = {0: rs(10), 1: rs(10)}
            po.append(e)
        lines = rng.choice([po.__unicode__(), catalogs.po_text(po)]).split("\n")
        for _ in range(rng.choice([0, 0, 0, 1, 2])):          # break it a little
            k = rng.randrange(len(lines))
            op = rng.randrange(4)
            if op == 0:
                del lines[k]
            elif op == 1:
                lines.insert(k, rng.choice(["#", "#~", "#:", "#.", "#, fuzzy", "#| msgid \"x\"", "#| \"x\"",
                                            "msgstr[1] \"x\"", "#x", "\"z\"", "msgid \"\"", "msgstr \"\"", ""]))
            elif op == 2:
                j = rng.randrange(len(lines))
                lines[k], lines[j] = lines[j], lines[k]
            else:
                lines[k] = " " + lines[k]
        data = "\n".join(lines).encode()
        for use_fuzzy in (False, True):
            fast, ref = _both(data, use_fuzzy, name=rng.choice([None, "shown.po"]) if use_fuzzy else "shown.po")
            assert fast == ref, data.decode()
        got = _scan(data)
        scanned += got is not None
        with_obsolete += got is not None and any(row[5] for row in got[1])
    assert scanned > 200 and with_obsolete > 30      # the fast way was taken often enough to be tested


# -- l10n compile over many catalogs (on every core) ------------------------------------------------

def _many(tmp_path: Path, n: int) -> Path:
    root = tmp_path / "many"
    d = root / "locales" / "zh_TW" / "LC_MESSAGES"
    d.mkdir(parents=True)
    (root / "source_pages").mkdir()
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource_dir = "source_pages"\nlocales_dir = "locales"\n'
                                         'output_dir = "site"\n\n[tool.l10n.targets]\nen = ["zh_TW"]\n\n'
                                         '[tool.l10n.check]\ngate = "off"\n', "utf-8")
    for i in range(n):
        (d / f"p{i:03d}.po").write_text(HEADER + "".join(f'msgid "page {i} unit {k}"\nmsgstr "第{i}頁第{k}句"\n\n'
                                                         for k in range(5)), "utf-8")
    return root


def test_compile_many_catalogs_in_workers_like_one_by_one(tmp_path):
    from click.testing import CliRunner

    from l10n.cli import cli
    from l10n.workers import MIN_PARALLEL

    n = MIN_PARALLEL + 12
    root = _many(tmp_path, n)
    d = root / "locales" / "zh_TW" / "LC_MESSAGES"
    res = CliRunner().invoke(cli, ["compile", "-p", str(root)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == [f"locales/zh_TW/LC_MESSAGES/p{i:03d}.po: 5 translated messages."
                                       for i in range(n)]
    for i in range(n):
        po = d / f"p{i:03d}.po"
        assert po.with_suffix(".mo").read_bytes() == catalogs.compile_file(str(po)).mo

    # bad input in two of them: one line naming the first, exit 2, nothing written
    for mo in d.glob("*.mo"):
        mo.unlink()
    (d / "p020.po").write_text(HEADER + 'msgid "a"\nmsgstr "b\n', "utf-8")
    (d / "p040.po").write_text(HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "utf-8")
    res = CliRunner().invoke(cli, ["compile", "-p", str(root)], catch_exceptions=False)
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.strip().splitlines() == [
        "l10n: error: locales/zh_TW/LC_MESSAGES/p020.po:9: syntax error: 'msgstr \"b' is not a quoted string or a "
        "keyword followed by one"]
    assert list(d.glob("*.mo")) == []


# -- the placeholder check compile runs on each translation --------------------------------------------

def _balance_by_tokens(source: str, translation: str) -> list[str]:
    """check_balance's rules written over markup.tokenize (its earlier implementation): the reference."""
    from l10n.markup import tokenize
    if "<" not in translation:
        return []
    kinds = {t.value: t.kind for t in tokenize(source) if t.kind in ("open", "empty")}
    problems: list[str] = []
    stack: list[str] = []
    seen: set[str] = set()
    for t in tokenize(translation):
        if t.kind == "text":
            continue
        tag = {"open": f"<{t.value}>", "close": f"</{t.value}>", "empty": f"<{t.value}/>"}[t.kind]
        if t.value not in kinds:
            problems.append(f"{tag} is not a placeholder of the source")
        elif t.kind == "close":
            if not stack or stack[-1] != t.value:
                problems.append(f"{tag} closes a tag that is not open")
            else:
                stack.pop()
        elif t.kind != kinds[t.value]:
            want = f"<{t.value}/>" if kinds[t.value] == "empty" else f"<{t.value}>…</{t.value}>"
            problems.append(f"{tag} should be written {want}")
        else:
            if t.value in seen:
                problems.append(f"{tag} is used twice")
            seen.add(t.value)
            if t.kind == "open":
                stack.append(t.value)
    return problems + [f"<{name}> is not closed" for name in reversed(stack)]


def test_check_balance_agrees_with_the_token_reference():
    from l10n.markup import check_balance
    rng = random.Random(7)
    parts = ["<a1>", "</a1>", "<b1>", "</b1>", "<br1/>", "</br1/>", "<a2>", "</a2>", "<br1>", "</br1>", "x", " ",
             "<", "&lt;"]
    found = 0
    for _ in range(20000):
        s = "".join(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        t = "".join(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        assert check_balance(s, t) == _balance_by_tokens(s, t), (s, t)
        found += bool(check_balance(s, t))
    assert found > 5000
