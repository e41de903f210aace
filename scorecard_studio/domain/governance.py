"""Governance around the numbers: commentary, exceptions, actions and review (spec section 7).

The store keeps governance as an append-only list of entries per version (a comment, an
exception, an action or a change to one, a review step); this module gives them meaning.
:func:`fold` turns the entries a version can see (its own and its ancestors') into a
:class:`GovernanceView`; the rules below read that view and never touch storage, so the
window, the CLI, the report and the freeze check all apply the same ones.

Why entries rather than editable rows: the history of what was said about a red KPI, and
who approved a definition, is itself what a review board audits. An edit of a comment on
a version that is not frozen yet is a new entry that *replaces* the old one (the old stays
in the log); on a frozen version nothing can be replaced, only added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from scorecard_studio.domain.errors import ScorecardError


class GovernanceError(ScorecardError):
    """A governance step the rules refuse (a review out of order, an edit of a frozen note)."""


class EntryKind(StrEnum):
    """What one governance entry records."""

    COMMENT = "comment"
    EXCEPTION = "exception"
    EXCEPTION_WITHDRAWN = "exception_withdrawn"
    ACTION = "action"
    ACTION_UPDATE = "action_update"
    REVIEW = "review"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class ReviewState(StrEnum):
    """draft → proposed → approved or rejected; a rejected version is proposed again only
    after being saved anew (the review board judged that content)."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


#: The review steps allowed from each state.
REVIEW_STEPS: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.DRAFT: frozenset({ReviewState.PROPOSED}),
    ReviewState.PROPOSED: frozenset({ReviewState.APPROVED, ReviewState.REJECTED}),
    ReviewState.APPROVED: frozenset(),
    ReviewState.REJECTED: frozenset(),
}

#: ``Exceptional.kpi`` / ``.tier`` value meaning "every KPI" / "every tier".
EVERY = "*"


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored governance entry, as the store hands it to :func:`fold`."""

    id: str  # the entry's hash: its identity in every store
    version: int  # the version it was written on
    kind: EntryKind
    subject: str
    body: Mapping[str, Any]
    author: str
    at: str


@dataclass(frozen=True, slots=True)
class Comment:
    """Commentary on one KPI in one period."""

    id: str
    version: int
    kpi: str
    period: str
    analysis: str
    recommendation: str
    author: str
    at: str
    replaces: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "kpi": self.kpi,
            "period": self.period,
            "analysis": self.analysis,
            "recommendation": self.recommendation,
            "author": self.author,
            "at": self.at,
            "replaces": self.replaces,
        }


@dataclass(frozen=True, slots=True)
class Exceptional:
    """A period, or one KPI's value in it (optionally in one tier), marked exceptional."""

    id: str
    version: int
    period: str
    kpi: str  # a KPI id, or EVERY
    tier: str  # a tier id, or EVERY
    reason: str
    author: str
    at: str

    def covers(self, kpi: str, tier: str | None, period: str) -> bool:
        return (
            self.period == period
            and self.kpi in (EVERY, kpi)
            and (self.tier == EVERY or tier is None or self.tier == tier)
        )

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "period": self.period,
            "kpi": None if self.kpi == EVERY else self.kpi,
            "tier": None if self.tier == EVERY else self.tier,
            "reason": self.reason,
            "author": self.author,
            "at": self.at,
        }


@dataclass(frozen=True, slots=True)
class ActionChange:
    """One step in an action's life: created, or a change of status, owner, due date, notes."""

    at: str
    author: str
    version: int
    changes: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Action:
    """An initiative against a KPI's performance, with its owner and due date."""

    id: str  # "A1", "A2" … numbered per scorecard
    title: str
    owner: str
    due: str | None  # ISO date
    status: ActionStatus
    kpis: tuple[str, ...]
    tiers: tuple[str, ...]
    notes: str
    author: str
    created_at: str
    history: tuple[ActionChange, ...] = ()

    def is_overdue(self, today: str) -> bool:
        return self.status is ActionStatus.OPEN and self.due is not None and self.due < today

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "due": self.due,
            "status": self.status.value,
            "kpis": list(self.kpis),
            "tiers": list(self.tiers),
            "notes": self.notes,
            "author": self.author,
            "created_at": self.created_at,
            "history": [
                {"at": h.at, "author": h.author, "version": h.version, **dict(h.changes)}
                for h in self.history
            ],
        }


@dataclass(frozen=True, slots=True)
class Review:
    """One review step on a version."""

    id: str
    version: int
    state: ReviewState
    comment: str
    author: str
    at: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "state": self.state.value,
            "comment": self.comment,
            "author": self.author,
            "at": self.at,
        }


#: Fields of an action an update may change.
ACTION_FIELDS = ("title", "owner", "due", "status", "kpis", "tiers", "notes")


@dataclass(frozen=True, slots=True)
class GovernanceView:
    """Everything said and decided about one version, as its entries fold into."""

    version: int
    comments: tuple[Comment, ...] = ()  # current ones (replaced comments left out)
    exceptions: tuple[Exceptional, ...] = ()  # in force (withdrawn ones left out)
    actions: tuple[Action, ...] = ()
    reviews: tuple[Review, ...] = ()  # of this version only, oldest first
    entries: tuple[Entry, ...] = field(default=(), repr=False)
    #: Only entries written up to this time are seen (a frozen version's report: its
    #: freeze time); None: every entry.
    as_of: str | None = None

    @property
    def review_state(self) -> ReviewState:
        return self.reviews[-1].state if self.reviews else ReviewState.DRAFT

    def comments_for(self, kpi: str, period: str) -> list[Comment]:
        """The current commentary on (KPI, period), oldest first."""
        return [c for c in self.comments if c.kpi == kpi and c.period == period]

    def latest_comment(self, kpi: str, period: str) -> Comment | None:
        found = self.comments_for(kpi, period)
        return found[-1] if found else None

    def exception_for(self, kpi: str, tier: str | None, period: str) -> Exceptional | None:
        """The exception covering a KPI's value in (tier, period), if any."""
        for e in self.exceptions:
            if e.covers(kpi, tier, period):
                return e
        return None

    def exceptional_periods(self, kpi: str, tier: str | None = None) -> frozenset[str]:
        """Periods in which the KPI's value (in ``tier``; None: all customers) is exceptional.

        The all-customers value contains every tier's rows, so an exception on one tier
        makes it exceptional too.
        """
        return frozenset(
            e.period
            for e in self.exceptions
            if e.kpi in (EVERY, kpi) and (e.tier == EVERY or tier is None or e.tier == tier)
        )

    def actions_for(self, kpi: str, *, open_only: bool = False) -> list[Action]:
        return [
            a
            for a in self.actions
            if kpi in a.kpis and (not open_only or a.status is ActionStatus.OPEN)
        ]

    def action(self, action_id: str) -> Action:
        for a in self.actions:
            if a.id.lower() == action_id.lower():
                return a
        raise GovernanceError(f"no action {action_id!r}")

    def by_owner(self) -> dict[str, list[Action]]:
        """Actions grouped by owner (alphabetical; no owner last), open ones first."""
        groups: dict[str, list[Action]] = {}
        for a in sorted(self.actions, key=_action_order):
            groups.setdefault(a.owner, []).append(a)
        return dict(sorted(groups.items(), key=lambda item: (item[0] == "", item[0].lower())))

    def by_status(self) -> dict[ActionStatus, list[Action]]:
        return {
            s: sorted((a for a in self.actions if a.status is s), key=_action_order)
            for s in ActionStatus
        }


def _action_order(a: Action) -> tuple[int, str, int]:
    status_rank = list(ActionStatus).index(a.status)
    return (status_rank, a.due or "9999-99-99", _action_number(a.id))


def _action_number(action_id: str) -> int:
    digits = action_id[1:]
    return int(digits) if digits.isdigit() else 0


def next_action_id(entries: Iterable[Entry]) -> str:
    """The id the next action of a scorecard gets (A1, A2 …), from every entry it has."""
    used = [_action_number(e.subject) for e in entries if e.kind is EntryKind.ACTION]
    return f"A{max(used, default=0) + 1}"


def fold(entries: Sequence[Entry], version: int, as_of: str | None = None) -> GovernanceView:
    """The view of ``version`` from the entries it can see, oldest first.

    ``entries`` are those of the version and its ancestors, in the order they were
    written; reviews count only on the version they were written on. ``as_of`` (an ISO
    UTC time, as the store writes them) leaves out entries written after it, so a frozen
    version's report says what had been said when it was frozen.
    """
    if as_of is not None:
        entries = [e for e in entries if e.at <= as_of]
    comments: dict[str, Comment] = {}
    replaced: set[str] = set()
    exceptions: dict[str, Exceptional] = {}
    actions: dict[str, Action] = {}
    reviews: list[Review] = []
    for e in entries:
        b = e.body
        if e.kind is EntryKind.COMMENT:
            kpi, _, period = e.subject.partition("@")
            replaces = b.get("replaces")
            if isinstance(replaces, str):
                replaced.add(replaces)
            comments[e.id] = Comment(
                e.id,
                e.version,
                kpi,
                period,
                str(b.get("analysis", "")),
                str(b.get("recommendation", "")),
                e.author,
                e.at,
                replaces if isinstance(replaces, str) else None,
            )
        elif e.kind is EntryKind.EXCEPTION:
            exceptions[e.id] = Exceptional(
                e.id,
                e.version,
                str(b.get("period", "")),
                str(b.get("kpi") or EVERY),
                str(b.get("tier") or EVERY),
                str(b.get("reason", "")),
                e.author,
                e.at,
            )
        elif e.kind is EntryKind.EXCEPTION_WITHDRAWN:
            exceptions.pop(e.subject, None)
        elif e.kind is EntryKind.ACTION:
            actions[e.subject] = Action(
                e.subject,
                str(b.get("title", "")),
                str(b.get("owner", "")),
                _text_or_none(b.get("due")),
                ActionStatus(b.get("status", ActionStatus.OPEN)),
                tuple(str(k) for k in b.get("kpis", ())),
                tuple(str(t) for t in b.get("tiers", ())),
                str(b.get("notes", "")),
                e.author,
                e.at,
                (ActionChange(e.at, e.author, e.version, {"created": True}),),
            )
        elif e.kind is EntryKind.ACTION_UPDATE and e.subject in actions:
            actions[e.subject] = _updated(actions[e.subject], e)
        elif e.kind is EntryKind.REVIEW and e.version == version:
            reviews.append(
                Review(
                    e.id,
                    e.version,
                    ReviewState(str(b.get("state"))),
                    str(b.get("comment", "")),
                    e.author,
                    e.at,
                )
            )
    return GovernanceView(
        version=version,
        comments=tuple(c for i, c in comments.items() if i not in replaced),
        exceptions=tuple(exceptions.values()),
        actions=tuple(actions.values()),
        reviews=tuple(reviews),
        entries=tuple(entries),
        as_of=as_of,
    )


def _text_or_none(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _updated(action: Action, e: Entry) -> Action:
    changes = {k: v for k, v in e.body.items() if k in ACTION_FIELDS}
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "status":
            values[key] = ActionStatus(value)
        elif key in ("kpis", "tiers"):
            values[key] = tuple(str(v) for v in value)
        elif key == "due":
            values[key] = _text_or_none(value)
        else:
            values[key] = str(value)
    note = e.body.get("note")
    shown = dict(changes)
    if isinstance(note, str) and note:
        shown["note"] = note
    history = (*action.history, ActionChange(e.at, e.author, e.version, shown))
    return replace(action, history=history, **values)


# --- rules ------------------------------------------------------------------------------


def check_review_step(current: ReviewState, new: ReviewState, *, frozen: bool) -> None:
    """Refuse a review step out of order (the message says what is allowed instead)."""
    if frozen:
        raise GovernanceError("the version is frozen: its review is closed")
    if new not in REVIEW_STEPS[current]:
        allowed = ", ".join(sorted(s.value for s in REVIEW_STEPS[current])) or "nothing"
        raise GovernanceError(
            f"the version is {current.value}: it cannot become {new.value} (allowed: {allowed})"
        )


def missing_commentary(red_kpis: Iterable[str], period: str, view: GovernanceView) -> list[str]:
    """Red KPIs (ids) with no commentary for ``period``, in the order given."""
    return [k for k in red_kpis if view.latest_comment(k, period) is None]


def check_action_status(value: str) -> ActionStatus:
    try:
        return ActionStatus(value)
    except ValueError:
        raise GovernanceError(
            f"{value!r} is not an action status (open, done or dropped)"
        ) from None
