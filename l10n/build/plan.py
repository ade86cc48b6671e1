"""What is out of date, and why (one job): the one place a build decides between returning the last
report, redoing what changed (the delta build) and planning every page and catalog (the full build),
and the words for why each item is redone (:class:`Reasons`).

Like Sphinx's ``get_outdated_files`` and doit's up-to-date check, the decision carries its reason:
the plan's own, and one for each page, template, catalog and page version the build redoes, noted
where the full and delta builds decide it; ``l10n build --explain`` prints them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .report import Rows, arr_of
from .scan import Listing, Scan, rescan
from .state import BLOBS, STATE_FORMAT, Manifest

__all__ = ["Plan", "Reasons", "compile_reason", "outdated"]

# -- why an item is redone (doit's "why a task ran") --------------------------------------------------

FORCED = "forced"
NO_STATE = "no build state"
CONTEXT = "the settings, the glossary, the rules or l10n's own code changed"
ADDED = "added"
SOURCE_CHANGED = "its source changed"
PAGE_CHANGED = "its page changed"
TEMPLATE_CHANGED = "its template changed"
TEMPLATE_NEEDED = "a catalog of its page is merged (the merge needs the template)"
CATALOG_CHANGED = "the catalog changed"
CATALOG_MERGED = "the catalog was merged again"
MO_CHANGED = "its .mo changed"
OUTPUT_MISSING = "its output is missing"
NOT_RECORDED = "no record of it in the build state"
STATUS_FLIPPED = "the publication status of a page its chrome links to changed"
SITE_CONTEXT = "the settings or the list of pages changed"

KINDS = ("page", "template", "merge", "compile", "version")     # the order --explain lists them in


@dataclass
class Reasons:
    """Why each item a build redid was redone: ``(kind, item) -> reason``, kinds being a page
    parsed, a template written, a catalog merged, a catalog checked and compiled, a page version
    rendered (``item``: the path as the project names it; a version: ``page (locale)``). In a
    build that remembers nothing (forced, no state, the context changed) every item gets the
    build's own reason. The first reason noted for an item is the one kept."""
    default: str | None = None
    items: dict[tuple[str, str], str] = field(default_factory=dict)

    def note(self, kind: str, item: str, reason: str) -> None:
        """``item`` of ``kind`` is redone because of ``reason`` (or the build's reason, if it has one)."""
        self.items.setdefault((kind, item), self.default or reason)

    def of(self, kind: str) -> dict[str, str]:
        """{item: reason} of one kind."""
        return {item: why for (k, item), why in self.items.items() if k == kind}

    def lines(self) -> list[str]:
        """One line an item, by kind then item: ``<kind> <item>: <reason>``."""
        order = {k: n for n, k in enumerate(KINDS)}
        return [f"{k} {item}: {why}" for (k, item), why in
                sorted(self.items.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0][1]))]


@dataclass
class Plan:
    """``kind``: ``"none"`` (nothing changed: the last report), ``"delta"`` (only inputs changed and
    products went missing: redo those) or ``"full"`` (plan every page and catalog), and why."""
    kind: str
    reason: str
    blobs: dict = field(default_factory=dict)
    listing: Listing | None = None
    scan: Scan | None = None
    rows: Rows | None = None
    why: Reasons = field(default_factory=Reasons)     # filled in as the build decides each item

    def changed_inputs(self) -> list[str]:
        """The inputs whose signature changed (a delta plan)."""
        if self.scan is None or self.listing is None:
            return []
        return [self.listing.inputs[j] for j in self.scan.changed]

    def missing_products(self) -> list[str]:
        return [] if self.scan is None else list(self.scan.removed)


def outdated(blobs: dict[str, Any], ctx: str, *, force: bool = False,
             meanwhile: "Callable[[], Any] | None" = None) -> Plan:
    """The plan for a build whose state is ``blobs`` and whose context (settings, l10n's code, the
    glossary) is ``ctx``. ``meanwhile()`` runs while a child process stats half the inputs (when
    one does: :func:`l10n.build.scan.stat_inputs`)."""
    if force:
        return Plan("full", "forced: everything is stale", why=Reasons(FORCED))
    head = blobs.get("head")
    if not (isinstance(head, dict) and head.get("format") == STATE_FORMAT and all(k in blobs for k in BLOBS)):
        return Plan("full", "no build state (first build, or the state was lost or is of another format)",
                    why=Reasons(NO_STATE))
    if head["ctx"] != ctx:
        return Plan("full", CONTEXT, blobs, why=Reasons(CONTEXT))
    listing = Listing(blobs["dirs"], blobs["inputs"], arr_of("q", blobs["sigs"]), head["links"],
                      blobs.get("dstat") or {})
    scan = rescan(listing, meanwhile)
    if scan is None:
        return Plan("full", "a file or folder was added or removed", blobs)
    rows = Rows(lambda: blobs["rows"], blobs["vals"])      # its strings decoded when first read
    changed, removed = scan.changed, scan.removed
    if not changed and not removed:
        return Plan("none", "nothing changed", blobs, listing, scan, rows)
    return Plan("delta", f"{len(changed)} input(s) changed, {len(removed)} product(s) missing", blobs, listing,
                scan, rows)


def compile_reason(man: Manifest, po: str, parsed: dict, S: Callable) -> str:
    """Why :func:`l10n.build.state.needs_compile` said yes for catalog ``po``."""
    if po in parsed:
        return CATALOG_CHANGED
    if po not in man.compiled or po not in man.files:
        return NOT_RECORDED
    if man.files[po].sig != S(po):
        return CATALOG_CHANGED
    return OUTPUT_MISSING if S(po[:-3] + ".mo") is None else MO_CHANGED
