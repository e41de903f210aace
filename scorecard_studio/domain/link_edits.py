"""Pure edits of the strategy map's links: add, remove, flip the stated sign.

Like :mod:`scorecard_studio.domain.edits`, each takes a ``Scorecard`` and returns a new one,
so the window's undo stack wraps them without a hand-written inverse. A link is named by
its (cause, effect) pair: the design checks report a pair stated twice, so the map never
creates one.
"""

from __future__ import annotations

from dataclasses import replace

from scorecard_studio.domain.analytics import LinkSign, StrategyLink
from scorecard_studio.domain.edits import all_ids
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import Scorecard

LinkKey = tuple[str, str]


def link_key(link: StrategyLink) -> LinkKey:
    return link.cause, link.effect


def find_link(card: Scorecard, cause: str, effect: str) -> StrategyLink | None:
    return next((k for k in card.analytics.links if link_key(k) == (cause, effect)), None)


def _linkable(card: Scorecard) -> set[str]:
    """KPIs and objectives: what a link may join (perspectives are not measured)."""
    return {k.id for k in card.all_kpis()} | {o.id for p in card.perspectives for o in p.objectives}


def add_link(
    card: Scorecard, cause: str, effect: str, sign: LinkSign = LinkSign.POSITIVE
) -> Scorecard:
    """Add the link cause → effect; an existing pair, a self-link or an unknown end refuses."""
    if cause == effect:
        raise DesignError("", f"a link cannot join {cause!r} to itself")
    known = _linkable(card)
    for end in (cause, effect):
        if end not in known:
            what = "a perspective" if end in all_ids(card) else "not in the scorecard"
            raise DesignError(end, f"cannot be linked: it is {what} (link KPIs or objectives)")
    if find_link(card, cause, effect) is not None:
        raise DesignError("", f"the link {cause} → {effect} is already on the map")
    links = (*card.analytics.links, StrategyLink(cause, effect, sign))
    return replace(card, analytics=replace(card.analytics, links=links))


def remove_links(card: Scorecard, keys: list[LinkKey]) -> Scorecard:
    """Remove the links named by (cause, effect); unknown pairs are an error."""
    wanted = set(keys)
    present = {link_key(k) for k in card.analytics.links}
    missing = wanted - present
    if missing:
        cause, effect = sorted(missing)[0]
        raise DesignError("", f"there is no link {cause} → {effect}")
    links = tuple(k for k in card.analytics.links if link_key(k) not in wanted)
    return replace(card, analytics=replace(card.analytics, links=links))


def set_link_sign(card: Scorecard, cause: str, effect: str, sign: LinkSign) -> Scorecard:
    """State the link's direction: more cause, more (positive) or less (negative) effect."""
    if find_link(card, cause, effect) is None:
        raise DesignError("", f"there is no link {cause} → {effect}")
    links = tuple(
        replace(k, sign=sign) if link_key(k) == (cause, effect) else k for k in card.analytics.links
    )
    return replace(card, analytics=replace(card.analytics, links=links))
