"""Text and attribute values escaped as the walker writes them (one job): what rendering a
skeleton needs of the walker, without importing the parser (bs4, lxml, html5lib, soupsieve) into
a process that only renders."""
from __future__ import annotations

__all__ = ["esc_text", "esc_attr"]


def esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")


def esc_attr(s: str) -> str:
    return (s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\xa0", "&nbsp;"))
