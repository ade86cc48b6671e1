"""Findings as text, JSON, GitHub annotations or JUnit XML, and the exit-code policy.

``format_findings(findings, fmt)`` is pure: the same findings give the same
string, byte for byte. ``exit_code(findings, fail_on)`` is 0 when nothing is
at or above ``fail_on`` and 1 otherwise; 2 (bad input) belongs to the CLI.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from typing import Iterable, Sequence

from l10n.errors import ConfigError
from l10n.model import Finding, Severity

__all__ = ["FORMATS", "FAIL_ON", "format_findings", "exit_code", "summary"]

FORMATS = ("text", "json", "github", "junit")
FAIL_ON = ("error", "warning", "info", "never")

# Characters XML 1.0 cannot carry at all (a msgstr may contain them).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _sev(f: Finding) -> str:
    return f.severity.value if isinstance(f.severity, Severity) else str(f.severity)


def _one_line(s: str) -> str:
    return s.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")


def format_findings(findings: Iterable[Finding], fmt: str = "text", *, paths: Iterable[str] = ()) -> str:
    """Render findings. ``fmt``: text, json, github or junit.

    ``paths`` (junit only) names files that were checked, so a clean file
    still shows up as a passing test case.
    """
    items = list(findings)
    if fmt == "text":
        return format_text(items)
    if fmt == "json":
        return format_json(items)
    if fmt == "github":
        return format_github(items)
    if fmt == "junit":
        return format_junit(items, paths=paths)
    raise ConfigError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")


# -- text ----------------------------------------------------------------------

def format_text(findings: Sequence[Finding]) -> str:
    """``path:line: CODE severity: message``, one finding per line."""
    return "".join(f"{f.path}:{f.line}: {f.code} {_sev(f)}: {_one_line(f.message)}\n" for f in findings)


def summary(findings: Sequence[Finding]) -> str:
    """"3 errors, 1 warning" (or "no findings")."""
    if not findings:
        return "no findings"
    n = Counter(_sev(f) for f in findings)
    parts = [f"{n[s]} {s}{'' if n[s] == 1 else 's'}" for s in ("error", "warning", "info") if n[s]]
    return ", ".join(parts)


# -- json ----------------------------------------------------------------------

_JSON_FIELDS = ("code", "severity", "path", "line", "msgid", "msgstr", "message", "term", "locale")


def format_json(findings: Sequence[Finding]) -> str:
    """A JSON list of {code, severity, path, line, msgid, msgstr, message, term, locale}."""
    rows = []
    for f in findings:
        row = {k: getattr(f, k) for k in _JSON_FIELDS}
        row["severity"] = _sev(f)
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


# -- GitHub workflow commands ---------------------------------------------------

_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _gh_data(s: str) -> str:
    """Escape a workflow command's message (% first, then CR and LF)."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    """Escape a workflow command's property value: as data, plus ':' and ','."""
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[Finding]) -> str:
    """``::error file=…,line=…,title=CODE::message`` per finding (GitHub annotations)."""
    out = []
    for f in findings:
        level = _GH_LEVEL.get(_sev(f), "warning")
        props = f"file={_gh_property(f.path)},line={int(f.line)},title={_gh_property(f.code)}"
        out.append(f"::{level} {props}::{_gh_data(f.message)}\n")
    return "".join(out)


# -- JUnit XML -----------------------------------------------------------------

def _x(s: object) -> str:
    return _XML_ILLEGAL.sub("\ufffd", str(s))


def format_junit(findings: Sequence[Finding], *, paths: Iterable[str] = ()) -> str:
    """JUnit XML: one <testsuite> per path, one failing <testcase> per finding.

    A checked path without findings (from ``paths``) gets one passing test
    case; with no findings and no paths, one suite "l10n check" with one
    passing case, so CI shows that the check ran.
    """
    import xml.etree.ElementTree as ET       # only JUnit needs it: not loaded by every `l10n check`

    by_path: dict[str, list[Finding]] = {}
    for p in paths:
        by_path.setdefault(str(p), [])
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    root = ET.Element("testsuites", {"name": "l10n check", "tests": "0", "failures": "0", "errors": "0"})
    total = failures = 0
    if not by_path:
        by_path["l10n check"] = []
    for path in sorted(by_path):
        items = by_path[path]
        suite = ET.SubElement(root, "testsuite", {
            "name": _x(path), "tests": str(max(1, len(items))), "failures": str(len(items)),
            "errors": "0", "skipped": "0",
        })
        if not items:
            ET.SubElement(suite, "testcase", {"classname": _x(path), "name": "glossary check", "time": "0"})
            total += 1
            continue
        for f in items:
            name = f"{f.code} line {f.line}"
            if f.msgid:
                name += f": {_one_line(f.msgid)[:60]}"
            case = ET.SubElement(suite, "testcase", {"classname": _x(path), "name": _x(name), "time": "0"})
            failure = ET.SubElement(case, "failure", {
                "type": f"{f.code} {_sev(f)}", "message": _x(_one_line(f.message)),
            })
            body = [f"{f.path}:{f.line}: {f.code} {_sev(f)}: {f.message}"]
            if f.msgid:
                body.append(f"msgid:  {f.msgid}")
            if f.msgstr:
                body.append(f"msgstr: {f.msgstr}")
            if f.term:
                body.append(f"term:   {f.term}")
            if f.locale:
                body.append(f"locale: {f.locale}")
            failure.text = _x("\n".join(body))
            total += 1
            failures += 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- exit code -----------------------------------------------------------------

def exit_code(findings: Iterable[Finding], fail_on: str | Severity = "error") -> int:
    """0 when no finding is at or above ``fail_on`` (error, warning, info; never: always 0), else 1."""
    level = fail_on.value if isinstance(fail_on, Severity) else str(fail_on).strip().lower()
    if level in ("never", "none"):
        return 0
    try:
        threshold = Severity(level)
    except ValueError:
        raise ConfigError(f"unknown fail_on level {fail_on!r} (known: {', '.join(FAIL_ON)})") from None
    for f in findings:
        sev = f.severity if isinstance(f.severity, Severity) else Severity(str(f.severity))
        if sev >= threshold:
            return 1
    return 0
