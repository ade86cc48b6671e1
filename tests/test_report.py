"""Report formats and the exit-code policy."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from l10n.errors import ConfigError
from l10n.model import Finding, Severity
from l10n.report import exit_code, format_findings, summary

SWAP = Finding(code="GL003", severity=Severity.ERROR, path="locales/en/LC_MESSAGES/qa.po", line=42,
               message='drug swap: msgstr names "Pimecrolimus" (pimecrolimus), which msgid '
                       '"醫師開了普特皮0.1%給我。" does not name; it names 普特皮 (Protopic → tacrolimus)',
               msgid="醫師開了普特皮0.1%給我。", msgstr="The doctor prescribed me Pimecrolimus 0.1%.",
               term="Pimecrolimus", locale="en")
TYPO = Finding(code="GL011", severity=Severity.WARNING, path="locales/zh_TW/LC_MESSAGES/qa.po", line=7,
               message='CJK typography: "皮症,是" → ，', msgid="Scleroderma, a", msgstr="硬皮症,是",
               term="皮症,是", locale="zh_TW")
NASTY = Finding(code="GL012", severity=Severity.ERROR, path="a,b:c.po", line=3,
                message="100% bad\r\nline two <script>&\x00", msgid="x\x01", msgstr="<script>",
                term="<script>", locale="zh_CN")


def test_text() -> None:
    out = format_findings([SWAP, TYPO], "text")
    lines = out.splitlines()
    assert lines[0].startswith("locales/en/LC_MESSAGES/qa.po:42: GL003 error: drug swap: ")
    assert '"醫師開了普特皮0.1%給我。"' in lines[0] and '"Pimecrolimus"' in lines[0]
    assert lines[1].startswith("locales/zh_TW/LC_MESSAGES/qa.po:7: GL011 warning: ")
    assert out.endswith("\n")
    assert len(format_findings([NASTY], "text").splitlines()) == 1     # a message never breaks the line


def test_json() -> None:
    data = json.loads(format_findings([SWAP, TYPO], "json"))
    assert [d["code"] for d in data] == ["GL003", "GL011"]
    assert set(data[0]) == {"code", "severity", "path", "line", "msgid", "msgstr", "message", "term", "locale"}
    assert data[0]["severity"] == "error" and data[0]["line"] == 42 and data[0]["term"] == "Pimecrolimus"
    assert data[0]["msgid"] == "醫師開了普特皮0.1%給我。" and data[0]["locale"] == "en"
    assert "醫師" in format_findings([SWAP], "json")                # UTF-8, not \u escapes
    assert json.loads(format_findings([], "json")) == []


def test_github() -> None:
    out = format_findings([SWAP, TYPO], "github").splitlines()
    assert out[0].startswith("::error file=locales/en/LC_MESSAGES/qa.po,line=42,title=GL003::drug swap:")
    assert out[1].startswith("::warning file=locales/zh_TW/LC_MESSAGES/qa.po,line=7,title=GL011::")
    nasty = format_findings([NASTY], "github")
    assert nasty == "::error file=a%2Cb%3Ac.po,line=3,title=GL012::100%25 bad%0D%0Aline two <script>&\x00\n"
    info = Finding("GL011", Severity.INFO, "p.po", 1, "m")
    assert format_findings([info], "github").startswith("::notice ")


def test_junit_is_valid_and_deterministic() -> None:
    out = format_findings([SWAP, TYPO, NASTY], "junit")
    assert out == format_findings([SWAP, TYPO, NASTY], "junit")
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "3"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted(["locales/en/LC_MESSAGES/qa.po",
                                                      "locales/zh_TW/LC_MESSAGES/qa.po", "a,b:c.po"])
    case = root.find("testsuite[@name='locales/en/LC_MESSAGES/qa.po']/testcase")
    failure = case.find("failure")
    assert failure.get("type") == "GL003 error"
    assert "Pimecrolimus" in failure.get("message") and "msgstr: The doctor" in failure.text
    assert "\x00" not in out and "\x01" not in out


def test_junit_clean_run_has_a_passing_case() -> None:
    root = ET.fromstring(format_findings([], "junit"))
    cases = root.findall(".//testcase")
    assert len(cases) == 1 and cases[0].find("failure") is None
    root = ET.fromstring(format_findings([SWAP], "junit", paths=["clean.po", SWAP.path]))
    clean = root.find("testsuite[@name='clean.po']")
    assert clean.get("failures") == "0" and clean.find("testcase/failure") is None
    assert root.get("tests") == "2" and root.get("failures") == "1"


def test_unknown_format() -> None:
    with pytest.raises(ConfigError):
        format_findings([SWAP], "yaml")


def test_exit_code() -> None:
    assert exit_code([]) == 0
    assert exit_code([SWAP]) == 1
    assert exit_code([TYPO]) == 0
    assert exit_code([TYPO], "warning") == 1
    assert exit_code([TYPO], Severity.WARNING) == 1
    assert exit_code([SWAP], "never") == 0
    assert exit_code([Finding("GL011", Severity.INFO, "p", 1, "m")], "info") == 1
    assert exit_code([Finding("GL011", Severity.INFO, "p", 1, "m")], "warning") == 0
    with pytest.raises(ConfigError):
        exit_code([SWAP], "fatal")


def test_summary() -> None:
    assert summary([]) == "no findings"
    assert summary([SWAP, TYPO, NASTY]) == "2 errors, 1 warning"
