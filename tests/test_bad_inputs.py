"""Bad input: a clear answer, nothing written.

Every kind of bad input below is put into a copy of the translated project of
``reliability_project``, and the installed ``l10n`` command is run on it as
its own process. Each must give

* exit code 2,
* exactly one line on stderr, ``l10n: error: FILE[:LINE]: message``, naming
  the file (and the line where there is one), and nothing on stdout,
* and leave every file of the project as it was (the skeleton cache and the
  lock file aside), byte for byte.

A few inputs that look odd but are valid (a BOM, CRLF line ends, Big5 or
GB18030 pages that say so in ``<meta charset>``, UTF-16) must instead be read
correctly. docs/reliability.md keeps the table of what was tried and the
answer each got (test-artifacts/reliability.json has the messages of a run).
"""
from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from reliability_project import changed, run_bin, snapshot, translated_project

PO = "locales/zh_TW/LC_MESSAGES/side-effects.po"
POT = "locales/templates/side-effects.pot"
MO = "locales/zh_TW/LC_MESSAGES/side-effects.mo"
ASK = "source_pages/qa/ask.html"
GLOSSARY = "locales/glossary.toml"
CONFIG = "pyproject.toml"

HEAD = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n"Language: zh_TW\\n"\n"X-Source-Language: en\\n"\n\n')
NAUSEA = 'msgid "Nausea is the most common one."\n'
ZH_P = "<p>醫師您好，請問這個藥物有什麼副作用？</p>"


def page(body: str = ZH_P, head: str = '<meta charset="utf-8">', lang: str = "zh-Hant-TW") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n{head}\n<title>醫療問答</title>\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")


def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def do(root: Path) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return do


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def do(root: Path) -> None:
        p = root / rel
        text = p.read_text("utf-8")
        assert old in text, (rel, old)
        p.write_text(text.replace(old, new, 1), "utf-8")
    return do


def append(rel: str, more: str) -> Callable[[Path], None]:
    def do(root: Path) -> None:
        p = root / rel
        p.write_text(p.read_text("utf-8") + more, "utf-8")
    return do


def big_page(root: Path) -> None:
    para = "<p>Scleroderma is a rare autoimmune disease that hardens the skin.</p>\n" * 1024
    with open(root / "source_pages" / "big.html", "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html>\n<html lang="en">\n<head><title>Big</title></head>\n<body>\n')
        while f.tell() < 50 * 2**20:
            f.write(para)
        f.write("</body>\n</html>\n")


def deep_page(root: Path) -> None:
    (root / "source_pages" / "deep.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><title>Deep</title></head><body>'
        + "<div>" * 10_000 + "<p>At the bottom.</p>" + "</div>" * 10_000 + "</body></html>\n", "utf-8")


def glossary_concept(cid: str, en: str) -> str:
    return f'\n[[concept]]\nid = "{cid}"\ntype = "generic"\nsource = "test"\nen = {{ preferred = "{en}" }}\n'


@dataclass(frozen=True)
class Bad:
    kind: str                       # a short name (the test id)
    what: str                       # the input, for the docs table
    setup: Callable[[Path], None]
    command: tuple[str, ...]
    where: str                      # the FILE[:LINE] the message must start with (regex)
    says: str = ""                  # a phrase the message must contain (regex)


BAD = [
    # -- catalogs (.po, .pot, .mo) --------------------------------------------------------------
    Bad("po-syntax-error", ".po: text after a string", write(PO, HEAD + NAUSEA + 'msgstr "噁心" junk\n'),
        ("build",), f"{PO}:9", "syntax error"),
    Bad("po-keyword-without-string", ".po: `msgstr` with no string", write(PO, HEAD + NAUSEA + "msgstr\n"),
        ("build",), f"{PO}:9", "syntax error"),
    Bad("po-bad-escape", r".po: unknown escape `\q` in a msgstr",
        write(PO, HEAD + NAUSEA + 'msgstr "噁心\\q是最常見的"\n'), ("build",), f"{PO}:9", "invalid escape"),
    Bad("po-octal-escape", r".po: C octal escape `\101` (polib would keep it as 4 characters)",
        write(PO, HEAD + NAUSEA + 'msgstr "\\101"\n'), ("update",), f"{PO}:9", "invalid escape"),
    Bad("po-unterminated-string", ".po: string without its closing quote",
        write(PO, HEAD + NAUSEA + 'msgstr "噁心是最常見的\n'), ("build",), f"{PO}:9", "syntax error"),
    Bad("po-backslash-quote-end", '.po: string ending in `\\"` (the quote is escaped)',
        write(PO, HEAD + NAUSEA + 'msgstr "C:\\Temp\\"\n'), ("build",), f"{PO}:9", "syntax error"),
    Bad("po-duplicate-msgid", ".po: the same msgid twice",
        write(PO, HEAD + NAUSEA + 'msgstr "甲"\n\n' + NAUSEA + 'msgstr "乙"\n'), ("build",), f"{PO}:11",
        "duplicate"),
    Bad("po-plural-count", ".po: 2 plural forms, Plural-Forms says nplurals=1",
        write(PO, HEAD + 'msgid "one pill"\nmsgid_plural "%d pills"\nmsgstr[0] "一顆"\nmsgstr[1] "%d顆"\n'),
        ("build",), f"{PO}:8", "nplurals=1"),
    Bad("po-plural-gap", ".po: msgstr[1] without msgstr[0]",
        write(PO, HEAD + 'msgid "one pill"\nmsgid_plural "%d pills"\nmsgstr[1] "%d顆"\n'),
        ("build",), f"{PO}:8", r"msgstr\[0\]"),
    Bad("po-plural-twice", ".po: msgstr[0] given twice in one entry",
        write(PO, HEAD + 'msgid "one pill"\nmsgid_plural "%d pills"\nmsgstr[0] "甲"\nmsgstr[0] "乙"\n'),
        ("build",), f"{PO}:11", "twice"),
    Bad("po-bad-plural-forms", ".po: malformed Plural-Forms header",
        write(PO, HEAD.replace("nplurals=1; plural=0;", "nplurals=one") + NAUSEA + 'msgstr "噁心"\n'),
        ("build",), f"{PO}:4", "Plural-Forms"),
    Bad("po-wrong-charset", ".po: declares ISO-8859-1, bytes are UTF-8 (would be garbled silently)",
        write(PO, HEAD.replace("UTF-8", "ISO-8859-1") + NAUSEA + 'msgstr "噁心"\n'), ("build",), f"{PO}:3",
        "ISO-8859-1"),
    Bad("po-charset-mismatch", ".po: declares Big5, bytes are UTF-8",
        write(PO, HEAD.replace("UTF-8", "Big5") + NAUSEA + 'msgstr "噁心是最常見的副作用"\n'), ("build",),
        f"{PO}:9", "big5"),
    Bad("po-undeclared-charset", ".po: no Content-Type charset, Big5 bytes",
        write(PO, (HEAD.replace('"Content-Type: text/plain; charset=UTF-8\\n"\n', "") + NAUSEA
                   + 'msgstr "噁心"\n').encode("big5")), ("build",), f"{PO}:8", "UTF-8 assumed"),
    Bad("po-unknown-charset", ".po: charset=KLINGON-8",
        write(PO, HEAD.replace("UTF-8", "KLINGON-8") + NAUSEA + 'msgstr "噁心"\n'), ("build",), f"{PO}:3",
        "unknown charset"),
    Bad("po-invalid-utf8", ".po: bytes that are not UTF-8 in a UTF-8 catalog",
        write(PO, (HEAD + NAUSEA).encode() + b'msgstr "\xff\xfe"\n'), ("build",), f"{PO}:9", "not valid utf-8"),
    Bad("po-msgstr-first", ".po: msgstr before its msgid", write(PO, HEAD + 'msgstr "乙"\nmsgid "x"\n'),
        ("build",), f"{PO}:8", "Syntax error"),
    Bad("po-empty", ".po: empty file", write(PO, b""), ("build",), PO, "empty"),
    Bad("po-binary", ".po: binary file (a PNG)", write(PO, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ("build",),
        PO, "binary"),
    Bad("pot-syntax-error", ".pot template: syntax error", replace(POT, 'msgstr ""\n\n#', 'msgstr "" x\n\n#'),
        ("update",), rf"{POT}:\d+", "syntax error"),
    Bad("mo-garbage", ".mo: not a .mo file", write(MO, b"garbage garbage garbage garbage garbage"),
        ("render",), MO, "not a .mo file"),
    Bad("mo-truncated", ".mo: cut short", lambda root: (root / MO).write_bytes((root / MO).read_bytes()[:60]),
        ("render",), MO, "corrupt .mo"),
    # -- pages ----------------------------------------------------------------------------------
    Bad("page-undeclared-big5", "page: Big5 bytes, no <meta charset>", write(ASK, page(head="").encode("big5")),
        ("build",), f"{ASK}:5", "no <meta charset>"),
    Bad("page-declared-utf8-is-big5", "page: <meta charset=utf-8>, Big5 bytes",
        write(ASK, page().encode("big5")), ("build",), f"{ASK}:5", "declared utf-8"),
    Bad("page-unknown-charset", "page: <meta charset=klingon>", write(ASK, page(head='<meta charset="klingon">')),
        ("extract",), f"{ASK}:4", "unknown encoding"),
    Bad("page-bom-then-bad-bytes", "page: UTF-8 BOM, then bytes that are not UTF-8",
        write(ASK, b"\xef\xbb\xbf" + page().encode()[:40] + b"\xff\xfe" + page().encode()[40:]),
        ("extract",), f"{ASK}:2", "byte order mark"),
    Bad("page-empty", "page: empty file", write(ASK, b""), ("build",), ASK, "empty"),
    Bad("page-control-character", "page: a stray &#4 (U+0004) in a paragraph",
        write(ASK, page(body="<p>每日兩次&#4塗抹患處。</p>")), ("build",), f"{ASK}:8", r"control character U\+0004"),
    Bad("page-binary", "page: binary file (a PNG named .html)",
        write(ASK, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), ("build",), ASK, "binary"),
    Bad("page-50mb", "page: 50 MB", big_page, ("build",), "source_pages/big.html", r"page is 50\.\d MB; l10n reads pages up to 10 MB"),
    Bad("page-10000-levels", "page: 10,000 nested <div>", deep_page, ("build",), "source_pages/deep.html",
        "nested too deeply"),
    Bad("page-no-lang", "page: <html> without lang", write(ASK, page().replace(' lang="zh-Hant-TW"', "")),
        ("build",), f"{ASK}:2", "no lang"),
    Bad("page-unknown-lang", 'page: <html lang="fr"> (not a source language)', write(ASK, page(lang="fr")),
        ("build",), f"{ASK}:2", "not a source language"),
    Bad("page-not-a-lang", 'page: <html lang="../../etc">', write(ASK, page(lang="../../etc")),
        ("extract",), f"{ASK}:2", "not a source language"),
    Bad("page-plain-text", "page: plain text, no markup", write(ASK, "醫師您好，請問這個藥物有什麼副作用？\n"),
        ("build",), f"{ASK}:1", "no HTML markup"),
    Bad("page-domain-clash", "pages: a/b.html and a.b.html (one catalog name)",
        lambda root: (write("source_pages/more/notes.html", page())(root),
                      write("source_pages/more.notes.html", page())(root)),
        ("build",), r"source_pages/more(/|\.)notes\.html", "domain"),
    # -- glossary -------------------------------------------------------------------------------
    Bad("glossary-duplicate-id", "glossary: two concepts with one id",
        append(GLOSSARY, glossary_concept("methotrexate", "MTX")), ("check",), rf"{GLOSSARY}:16", "duplicate id"),
    Bad("glossary-term-conflict", "glossary: one term in two concepts",
        append(GLOSSARY, glossary_concept("mtx", "methotrexate")), ("check",), rf"{GLOSSARY}:16",
        "already claimed"),
    Bad("glossary-broken-line", "glossary: a broken TOML line",
        replace(GLOSSARY, 'type = "condition"', 'type = "condition'), ("check",), rf"{GLOSSARY}:11",
        "TOML syntax error"),
    Bad("glossary-not-utf8", "glossary: Big5 bytes",
        lambda root: (root / GLOSSARY).write_bytes((root / GLOSSARY).read_text("utf-8").encode("big5")),
        ("check",), rf"{GLOSSARY}:\d+", "not UTF-8"),
    # -- configuration and command line -----------------------------------------------------------
    Bad("config-unknown-key", "config: unknown key `treshold`", replace(CONFIG, "threshold = 0", "treshold = 0"),
        ("build",), f"{CONFIG}:9", "unknown key 'treshold'"),
    Bad("config-unknown-locale", "config: target xx_XX (no such locale in CLDR)",
        replace(CONFIG, '"zh_CN"]\nzh_TW', '"zh_CN", "xx_XX"]\nzh_TW'), ("build",), f"{CONFIG}:12",
        "not a locale CLDR knows"),
    Bad("config-not-a-locale", "config: target `Chinese`", replace(CONFIG, '"zh_CN"]\nzh_TW', '"Chinese"]\nzh_TW'),
        ("build",), f"{CONFIG}:12", "not a locale name"),
    Bad("config-path-as-locale", "config: target `../../etc`",
        replace(CONFIG, '"zh_CN"]\nzh_TW', '"../../etc"]\nzh_TW'), ("build",), f"{CONFIG}:12", "not a locale name"),
    Bad("config-bad-toml", "config: invalid TOML", replace(CONFIG, "threshold = 0", "threshold = = 0"),
        ("build",), f"{CONFIG}:9", "invalid TOML"),
    Bad("config-folder-outside", "config: source_dir = \"../elsewhere\"",
        replace(CONFIG, 'source_dir = "source_pages"', 'source_dir = "../elsewhere"'), ("build",), f"{CONFIG}:5",
        "leads outside"),
    Bad("config-absolute-folder", "config: output_dir = \"/tmp\"",
        replace(CONFIG, 'output_dir = "site"', 'output_dir = "/tmp"'), ("build",), f"{CONFIG}:7", "leads outside"),
    Bad("config-threshold", "config: threshold = 180", replace(CONFIG, "threshold = 0", "threshold = 180"),
        ("build",), f"{CONFIG}:9", "threshold"),
    Bad("config-jobs", 'config: jobs = "many"', replace(CONFIG, "threshold = 0", 'threshold = 0\njobs = "many"'),
        ("build",), f"{CONFIG}:10", "jobs"),
    Bad("config-not-utf8", "config: pyproject.toml in Latin-1",
        lambda root: (root / CONFIG).write_bytes((root / CONFIG).read_bytes().replace(b"reliability", b"caf\xe9")),
        ("build",), f"{CONFIG}:2", "not UTF-8"),
    Bad("cli-locale-path", "command line: update -l ../../etc", lambda root: None, ("update", "-l", "../../etc"),
        CONFIG, "not a target locale"),
    Bad("cli-locale-unknown", "command line: compile -l fr", lambda root: None, ("compile", "-l", "fr"), CONFIG,
        "not a target locale"),
]

# Odd but valid: read correctly. (input, setup, command, what must come out)
OK = [
    ("page-big5-meta", "page: Big5, <meta charset=big5>", write(ASK, page(head='<meta charset="big5">').encode("big5")),
     "醫師您好，請問這個藥物有什麼副作用？"),
    ("page-gb18030-meta", "page: GB18030, <meta charset=gb18030>",
     write(ASK, page(head='<meta charset="gb18030">').encode("gb18030")), "醫師您好，請問這個藥物有什麼副作用？"),
    ("page-gbk-http-equiv", "page: GBK, <meta http-equiv=Content-Type content=\"...charset=gbk\">",
     write(ASK, page(head='<meta http-equiv="Content-Type" content="text/html; charset=gbk">',
                     body="<p>医师您好，请问副作用？</p>").encode("gbk")), "医师您好，请问副作用？"),
    ("page-utf8-bom", "page: UTF-8 with a BOM", write(ASK, b"\xef\xbb\xbf" + page().encode()),
     "醫師您好，請問這個藥物有什麼副作用？"),
    ("page-utf16-bom", "page: UTF-16 with a BOM", write(ASK, page().encode("utf-16")),
     "醫師您好，請問這個藥物有什麼副作用？"),
    ("page-crlf", "page: CRLF line ends", write(ASK, page().replace("\n", "\r\n").encode()),
     "醫師您好，請問這個藥物有什麼副作用？"),
    ("po-bom-crlf", ".po: UTF-8 BOM and CRLF line ends",
     write(PO, ("\ufeff" + HEAD + NAUSEA + 'msgstr "噁心是最常見的副作用。"\n').replace("\n", "\r\n")),
     "噁心是最常見的副作用。"),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return translated_project(tmp_path_factory.mktemp("bad"))


def attempt(base: Path, root: Path, setup: Callable[[Path], None], command: tuple[str, ...]):
    shutil.copytree(base, root)
    setup(root)
    before = snapshot(root)
    res = run_bin(root, *command)
    return res, before, snapshot(root)


@pytest.fixture(scope="module")
def results(base, tmp_path_factory):
    """Every bad input tried once, four at a time (each in its own copy of the project)."""
    tmp = tmp_path_factory.mktemp("tries")
    with ThreadPoolExecutor(max_workers=4) as ex:
        futures = {b.kind: ex.submit(attempt, base, tmp / b.kind, b.setup, b.command) for b in BAD}
        return {k: f.result() for k, f in futures.items()}, tmp


def test_at_least_30_kinds():
    assert len({b.kind for b in BAD}) == len(BAD) >= 30


@pytest.mark.parametrize("bad", BAD, ids=[b.kind for b in BAD])
def test_bad_input_gets_one_clear_line_and_nothing_written(results, figures, bad):
    by_kind, tmp = results
    res, before, after = by_kind[bad.kind]
    root = tmp / bad.kind
    message = res.stderr.replace(f"{root}/", "").replace(str(root), "<project>")
    lines = message.strip().splitlines()
    assert res.returncode == 2, res.stderr
    assert len(lines) == 1, res.stderr
    assert res.stdout == ""
    m = re.match(r"l10n: error: (?P<where>[^ ]+?):(?: (?P<msg>.*))$", lines[0])
    assert m, lines[0]
    assert re.fullmatch(bad.where, m.group("where")), (bad.where, lines[0])
    assert re.search(bad.says, m.group("msg")), (bad.says, lines[0])
    assert changed(before, after) == []
    figures.bad_input(bad.kind, bad.what, "l10n " + " ".join(bad.command), lines[0])


@pytest.mark.parametrize("kind,what,setup,expect", OK, ids=[o[0] for o in OK])
def test_odd_but_valid_input_is_read_correctly(base, tmp_path, figures, kind, what, setup, expect):
    res, before, after = attempt(base, tmp_path / "p", setup, ("build",))
    assert res.returncode == 0, res.stderr
    root = tmp_path / "p"
    if kind.startswith("po-"):
        text = (root / PO).read_text("utf-8")
        assert f'msgstr "{expect}"' in text and "\r" not in text
        from l10n.catalogs import read_mo
        assert read_mo((root / MO).read_bytes())[(None, "Nausea is the most common one.")] == expect
    else:
        assert f'msgid "{expect}"' in (root / "locales/templates/qa.ask.pot").read_text("utf-8")
        html = (root / "site/zh_TW/qa/ask.html").read_text("utf-8")
        assert expect in html and 'charset="utf-8"' in html.lower().replace("charset=utf-8", 'charset="utf-8"')
    figures.odd_input(kind, what, "l10n build")
