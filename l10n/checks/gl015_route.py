"""GL015: the msgstr gives another route of administration than the msgid (intravenous -> oral)."""
from __future__ import annotations

from typing import Iterator

from l10n.checks.base import EntryContext, EntryRule, Example, quote
from l10n.checks.dosing import may_differ, records, sections, show
from l10n.dosing.record import Route, routes_compatible
from l10n.model import Finding, Severity


def most_specific(routes: tuple[Route, ...]) -> list[Route]:
    """The routes less a general one that a more specific one refines (皮下注射: subcutaneous, not injection)."""
    return [r for r in routes
            if not any(o.code != r.code and routes_compatible(r.code, o.code) and r.code in ("injection", "infusion")
                       and not (r.code == "infusion" and o.code == "injection") for o in routes)]


def negated_routes(rec) -> list[Route]:  # type: ignore[no-untyped-def]
    """The routes the negations of ``rec`` (a :class:`l10n.dosing.parse.Reader`) forbid: for each
    negation, the first route after it in its clause ("must not be taken by mouth", 不可注射;
    the most specific one: "must not be injected into a vein" forbids intravenous), else the
    last one before it ("injection is contraindicated")."""
    out: list[Route] = []
    routes = rec.routes
    for n in rec.negations:
        lo, hi = rec.clause(n.start)
        after = most_specific(tuple(r for r in routes if n.start < r.start < hi))
        # ", not …" contrasts with what came before it, which is given ("under your tongue, not down with water")
        before = [r for r in routes if lo <= r.start < n.start] if n.meaning != "contrast" else []
        pick = after[0] if after else (before[-1] if before else None)
        if pick is not None and pick not in out:
            out.append(pick)
    return out


# the other ways a tablet goes in: a "vaginal tablet" says nothing of the mouth
_TABLET_ROUTES = frozenset(("vaginal", "sublingual", "rectal"))


def _oral_form(rec) -> bool:  # type: ignore[no-untyped-def]
    """The text names tablets or capsules, or eats its medicine (吃药), and no other way in (vaginal,
    under the tongue, rectal): "take prednisolone tablets" says 口服 without the word."""
    return ((any(h[2].section == "dose_unit" and h[2].meaning in ("tablet", "capsule") for h in rec.hits)
             or (rec.zh and any(h[2].section == "action" and "吃" in rec.word(h) for h in rec.hits)))   # 吃药: by mouth
            and not any(r.code in _TABLET_ROUTES for r in rec.routes))


def _same_routes(a: list[Route], b: list[Route]) -> bool:
    """Every route of ``a`` has a compatible one in ``b``, and the other way round."""
    return (all(any(routes_compatible(r.code, o.code) for o in b) for r in a)
            and all(any(routes_compatible(r.code, o.code) for o in a) for r in b))


class RouteDiffers(EntryRule):
    """Route differs: a drug given one way in the msgid is given another way in the msgstr.

    Routes: oral (by mouth, 口服, 吞服), topical (apply, 外用, 塗抹, 擦), intravenous (IV,
    靜脈注射/静脉注射), subcutaneous (皮下注射), intramuscular (肌肉注射), injection (注射:
    any of the three), infusion (輸注/输注, 點滴), inhaled (吸入), rectal, vaginal, eye, ear, nasal,
    sublingual, transdermal. Taking (take, 服用) is no route, and 皮下 or 靜脈 alone are
    anatomy (皮下組織, 靜脈曲張). A general route matches a more specific one (injection =
    subcutaneous injection, infusion = intravenous; 皮下注射 is subcutaneous, so it differs from
    "into a muscle"). Compared only when both sides name a
    route; reported when a route of one side has no match on the other (oral matches a side
    that names tablets or capsules: "take prednisolone tablets" = 口服泼尼松龙片). When both sides
    name the same two or more routes and each forbids one of them, the forbidden ones must
    match too: "taken by mouth, must not be injected" is not "injected, must not be taken
    by mouth" (口服製劑，不可注射).
    """

    code = "GL015"
    name = "route-differs"
    severity = Severity.ERROR
    gate = staticmethod(may_differ)
    bad = Example("Methotrexate can be given as an injection under the skin.", "甲氨喋呤可以口服。", "en", "zh_TW")
    good = Example("Methotrexate can be given as an injection under the skin.", "甲氨喋呤可以皮下注射。",
                   "en", "zh_TW")

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        a, b = sections(ctx)
        if "route" not in a or "route" not in b:
            return
        src, dst = records(ctx)
        if not src.routes or not dst.routes:
            return
        a, b = most_specific(src.routes), most_specific(dst.routes)
        # a route one side only rules out ("under your tongue" = 含在舌下，不是配水吞下去) is no route given
        banned_a = negated_routes(src) if src.negations else []      # read once: _negated uses them too
        banned_b = negated_routes(dst) if dst.negations else []
        lost = [r for r in a if not any(routes_compatible(r.code, o.code) for o in dst.routes)
                and not (r.code == "oral" and _oral_form(dst)) and r not in banned_a]
        added = [r for r in b if not any(routes_compatible(r.code, o.code) for o in a)
                 and not (r.code == "oral" and _oral_form(src)) and r not in banned_b]
        if not lost and not added:
            yield from self._negated(ctx, src, dst, banned_a, banned_b)
            return
        said_src = ", ".join(show(r.text, r.code) for r in (lost or src.routes))
        said_dst = ", ".join(show(r.text, r.code) for r in (added or dst.routes))
        yield ctx.finding(self, f"route differs: msgid says {said_src}, msgstr says {said_dst}; "
                                f"msgid {quote(ctx.entry.msgid)}",
                          term=(added or list(dst.routes))[0].text)

    def _negated(self, ctx: EntryContext, src, dst, no_a: list[Route],  # type: ignore[no-untyped-def]
                 no_b: list[Route]) -> Iterator[Finding]:
        """Both sides name the same routes (two or more) and forbid one (``no_a``, ``no_b``: the routes
        each side's negations rule out): the same one? One side forbids a route the other gives as the
        way to take it ("勿吞服" -> "swallow it whole")?"""
        if len({r.code for r in src.routes}) < 2 or not (no_a or no_b):
            return
        if bool(no_a) != bool(no_b):
            forbids, gives = (src, dst) if no_a else (dst, src)
            banned = no_a or no_b
            given = [r for r in gives.routes if any(routes_compatible(r.code, b.code) for b in banned)]
            if given:
                said_ban = ", ".join(show(r.text, r.code) for r in banned)
                said_given = ", ".join(show(r.text, r.code) for r in given)
                if no_a:
                    msg = f"route differs: msgid forbids {said_ban}, msgstr gives {said_given}"
                else:
                    msg = f"route differs: msgid gives {said_given}, msgstr forbids {said_ban}"
                yield ctx.finding(self, f"{msg}; msgid {quote(ctx.entry.msgid)}",
                                  term=(given if no_a else banned)[0].text)
            return
        if not no_a or not no_b or _same_routes(no_a, no_b):
            return
        said_src = ", ".join(show(r.text, r.code) for r in no_a)
        said_dst = ", ".join(show(r.text, r.code) for r in no_b)
        yield ctx.finding(self, f"route differs: msgid forbids {said_src}, msgstr forbids {said_dst}; "
                                f"msgid {quote(ctx.entry.msgid)}",
                          term=no_b[0].text)
