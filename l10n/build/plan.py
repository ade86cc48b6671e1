"""What is out of date, and why: the one place a build decides between returning the last report,
redoing what changed (the delta build) and planning every page and catalog (the full build) (one job).

Like Sphinx's ``get_outdated_files`` and doit's up-to-date check, the decision carries its reason,
which ``l10n build --explain`` prints."""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from .report import Rows, arr_of
from .state import BLOBS, STATE_FORMAT, Listing, rescan

__all__ = ["Plan", "outdated"]


@dataclass
class Plan:
    """``kind``: ``"none"`` (nothing changed: the last report), ``"delta"`` (only inputs changed and
    products went missing: redo those) or ``"full"`` (plan every page and catalog), and why."""
    kind: str
    reason: str
    blobs: dict = field(default_factory=dict)
    listing: Listing | None = None
    scan: tuple[array, list[int], list[str]] | None = None
    rows: Rows | None = None

    def changed_inputs(self) -> list[str]:
        """The inputs whose signature changed (a delta plan)."""
        if self.scan is None or self.listing is None:
            return []
        return [self.listing.inputs[j] for j in self.scan[1]]

    def missing_products(self) -> list[str]:
        return [] if self.scan is None else list(self.scan[2])


def outdated(blobs: dict[str, Any], ctx: str, *, force: bool = False) -> Plan:
    """The plan for a build whose state is ``blobs`` and whose context (settings, l10n's code, the
    glossary) is ``ctx``."""
    if force:
        return Plan("full", "forced: everything is stale")
    head = blobs.get("head")
    if not (isinstance(head, dict) and head.get("format") == STATE_FORMAT and all(k in blobs for k in BLOBS)):
        return Plan("full", "no build state (first build, or the state was lost or is of another format)")
    if head["ctx"] != ctx:
        return Plan("full", "the settings, the glossary or l10n's own code changed", blobs)
    listing = Listing(blobs["dirs"], blobs["inputs"], arr_of("q", blobs["sigs"]), head["links"])
    scan = rescan(listing)
    if scan is None:
        return Plan("full", "a file or folder was added or removed", blobs)
    rows = Rows(blobs["rows"], blobs["vals"])
    _arr, changed, removed = scan
    if not changed and not removed:
        return Plan("none", "nothing changed", blobs, listing, scan, rows)
    return Plan("delta", f"{len(changed)} input(s) changed, {len(removed)} product(s) missing", blobs, listing,
                scan, rows)
