"""Cases with their allegations, subjects, tracks, histories, decisions, outcomes and open
deadlines, written with COPY a chunk of cases at a time.

Each case's history is a walk drawn from ``datagen.lifecycle`` (built from the state machines
themselves); this module only dates the steps, writes the transition rows, fills in the values
the transition methods were given (dates, the complaint result) and adds what lies outside the
state machines: who acted, the outcome decision and its findings, the open deadlines.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from cases.models import (
    Allegation,
    AllegationSubject,
    Case,
    CaseTransition,
    CaseType,
    Complainant,
    Decision,
    DecisionKind,
    DecisionStatus,
    InvestigationMode,
    Outcome,
    OutcomeStatus,
    State,
    SubjectTrack,
    TrackState,
)

from .deadline_rows import DeadlineRows, at_ten
from .lifecycle import AT, DAY, RESULT, Due, Lifecycle, Step
from .mix import CASE_TYPES, DAYS, OUTCOMES, SOURCES, complaint_result
from .names import Names
from .reference import Reference
from .writer import TableWriter, next_id

CHUNK = 5000  # cases per COPY round
# States in which an investigation may still be under way: the 12-month periods run (the clock
# ends when the report is submitted, cases.clocks.case_transitioned).
BEFORE_REPORT = {
    State.RECORDED,
    State.REFERRAL_ASSESSMENT,
    State.AWAITING_IOPC,
    State.HANDLING_DECIDED,
    State.INVESTIGATION,
}
HEAD_STEPS = {"approve_outcome", "refuse_outcome", "finalise"}  # the appropriate authority's
# Steps with work beyond the fields the method sets (dates, outcomes, the review window).
SPECIAL_STEPS = {"propose_outcome", "approve_outcome", "review_upheld", "request_review"}
SPANS = [datetime.timedelta(days=n) for n in range(1000)]  # the longest step is 288 days
CASE_FIELDS = [
    "id",
    "reference",
    "case_type",
    "source",
    "summary",
    "received_on",
    "state",
    "investigator",
    "supervisor",
    "team",
    "created_by",
    "created_at",
    "updated_at",
]
OUTCOME_FIELDS = [
    "id",
    "allegation",
    "track",
    "decision",
    "finding",
    "action",
    "forum",
    "effective_on",
    "status",
]


@dataclass
class Draft:
    """One case while it is being written."""

    id: int
    reference: str
    case_type: str
    received_on: datetime.date
    team: int
    supervisor: int
    investigator: int
    head: int
    fields: dict
    allegations: list[int] = field(default_factory=list)
    about: list[list[int]] = field(default_factory=list)  # subjects of each allegation
    tracks: dict[int, dict] = field(default_factory=dict)  # by person
    outcomes: list[list] = field(default_factory=list)  # rows, the status last
    live: list[list] = field(default_factory=list)  # the approved outcomes standing
    proposed_at: datetime.datetime | None = None


class CaseWriter:
    def __init__(self, rng, ref: Reference, lifecycle: Lifecycle, deadlines: DeadlineRows, anchor):
        self.rng: random.Random = rng
        self.ref, self.lifecycle, self.deadlines = ref, lifecycle, deadlines
        self.names = Names(rng)
        self.case_fields = sorted(lifecycle.case_defaults)
        self.track_fields = sorted(lifecycle.track_defaults)
        self.w = self._writers()
        self.ids = {key: itertools.count(next_id(writer.model)) for key, writer in self.w.items()}
        self._transition_ids = self.ids["transition"]
        self.people_ids: list[int] = []  # set by the generator once people are written
        self.anchor: datetime.date = anchor
        self._walk_cache: dict[int, list[tuple]] = {}

    def _writers(self) -> dict[str, TableWriter]:
        def writer(model, fields):
            return TableWriter(connection, model, fields)

        return {
            "case": writer(Case, CASE_FIELDS + self.case_fields),
            "complainant": writer(Complainant, ["id", "case", "name", "anonymous"]),
            "allegation": writer(
                Allegation,
                ["id", "case", "number", "summary", "category", "about_force", "created_at"],
            ),
            "track": writer(SubjectTrack, ["id", "case", "person", "state", *self.track_fields]),
            "subject": writer(AllegationSubject, ["id", "allegation", "person"]),
            "decision": writer(
                Decision,
                [
                    "id",
                    "case",
                    "kind",
                    "rationale",
                    "status",
                    "proposed_by",
                    "proposed_at",
                    "decided_by",
                    "decided_at",
                ],
            ),
            "outcome": writer(Outcome, OUTCOME_FIELDS),
            "transition": writer(
                CaseTransition,
                ["id", "case", "track", "name", "from_state", "to_state", "actor", "at"],
            ),
        }

    def _take(self, key: str) -> int:
        return next(self.ids[key])

    # --- the whole run ---------------------------------------------------------------------
    def run(self, cases: Iterable[tuple[str, int, datetime.date]], progress) -> dict[str, int]:
        """``cases``: (reference, number of allegations, received on) in order."""
        writers = [*self.w.values(), self.deadlines.writer]
        written = 0
        for reference, n_allegations, received_on in cases:
            self.write(reference, n_allegations, received_on)
            written += 1
            if written % CHUNK == 0:
                for writer in writers:
                    writer.flush()
                progress.update(CHUNK)
        for writer in writers:
            writer.flush()
        progress.update(written % CHUNK)
        counts = {key + "s": writer.written for key, writer in self.w.items()}
        counts["deadlines"] = self.deadlines.writer.written
        return counts

    def write(self, reference: str, n_allegations: int, received_on: datetime.date) -> None:
        rng = self.rng
        case_type = CASE_TYPES.draw(rng)[0]
        team = rng.randrange(len(self.ref.teams))
        supervisor, investigators = self.ref.team_staff[team]
        draft = Draft(
            id=self._take("case"),
            reference=reference,
            case_type=case_type,
            received_on=received_on,
            team=team,
            supervisor=supervisor,
            investigator=rng.choice(investigators),
            head=rng.choice(self.ref.heads),
            fields={"state": State.RECEIVED, **self.lifecycle.case_defaults},
        )
        # Subjects: 1-2 people; complaints may have allegations about the service only.
        subjects = rng.sample(self.people_ids, 1 if rng.random() < 0.75 else 2)
        complaint = case_type == CaseType.COMPLAINT
        about_force = [complaint and rng.random() < 0.15 for _ in range(n_allegations)]
        steps = self.lifecycle.walk(rng, case_type, not all(about_force))
        plans = self.lifecycle.plans_for(rng, steps, len(subjects))
        self._allegations(draft, about_force, subjects)
        self._tracks(draft, dict(zip(subjects, plans, strict=True)))
        self._history(draft, steps)
        self._rows(draft, outside=steps[0].name == "handle_outside_schedule_3")
        self._open_clocks(draft)

    # --- allegations, subjects, tracks -----------------------------------------------------
    def _allegations(self, draft: Draft, about_force: list[bool], subjects: list[int]) -> None:
        rng = self.rng
        created = at_ten(draft.received_on, 9)
        for number, force_only in enumerate(about_force, start=1):
            aid = self._take("allegation")
            self.w["allegation"].add(
                aid,
                draft.id,
                number,
                self.names.summary(),
                rng.choice(self.ref.categories),
                force_only,
                created,
            )
            draft.allegations.append(aid)
            if force_only:
                draft.about.append([])
            elif len(subjects) == 1 or rng.random() < 0.3:
                draft.about.append(subjects)
            else:
                draft.about.append([rng.choice(subjects)])

    def _tracks(self, draft: Draft, plans: dict[int, str]) -> None:
        """One track per person an allegation is about, in the order they were drawn."""
        used = {person for who in draft.about for person in who}
        for person, plan in plans.items():
            if person in used:
                draft.tracks[person] = {
                    "id": self._take("track"),
                    "plan": plan,
                    "state": TrackState.PENDING,
                    **self.lifecycle.track_defaults,
                }
        for aid, who in zip(draft.allegations, draft.about, strict=True):
            for person in who:
                self.w["subject"].add(self._take("subject"), aid, person)

    # --- the history -----------------------------------------------------------------------
    def _prepared(self, steps: tuple[Step, ...]) -> list[tuple]:
        """Per step: (step, typical days, taken by the appropriate authority, track steps by
        plan, outcome work); worked out once per walk (the walks are a few hundred)."""
        prepared = self._walk_cache.get(id(steps))
        if prepared is None:
            hooks = self.lifecycle.hooks
            prepared = [
                (
                    step,
                    DAYS[step.name],
                    step.name in HEAD_STEPS,
                    hooks.get(step.name),
                    step.name if step.name in SPECIAL_STEPS else "",
                )
                for step in steps
            ]
            self._walk_cache[id(steps)] = prepared
        return prepared

    def _history(self, draft: Draft, steps: tuple[Step, ...]) -> None:
        """Date the walk's steps until the clock reaches today (open cases stop part-way)."""
        random_, randrange, anchor = self.rng.random, self.rng.randrange, self.anchor
        day = draft.received_on
        for step, days, by_head, by_plan, work in self._prepared(steps):
            day += SPANS[max(1, int(days * (0.4 + 1.4 * random_())))]
            if work == "request_review":
                # C&M Regs 2020 reg 29(2): applied for within the review window (the
                # review_window clock's rule, loaded once).
                day = min(
                    day, self.deadlines.clocks.due("review_window", draft.fields["outcome_sent_on"])
                )
            if day >= anchor:
                return
            at = at_ten(day, 9 + randrange(8))
            actor = draft.head if by_head else draft.investigator
            self._transition(draft.id, None, step, actor, at)
            draft.fields["state"] = step.target
            if step.effects:
                self._apply(draft.fields, step, day, at, draft)
            if work:
                self._outcome_work(draft, work, at)
            if by_plan:
                self._track_steps(draft, by_plan, actor, day, at)

    def _track_steps(self, draft: Draft, by_plan: dict, actor, day, at) -> None:
        """The track steps the case's step brings, for each track where its last left it."""
        for track in draft.tracks.values():
            for step in by_plan.get(track["plan"], ()):
                if track["state"] == step.source:
                    self._transition(draft.id, track["id"], step, actor, at)
                    track["state"] = step.target
                    self._apply(track, step, day, at, draft)

    def _transition(self, case_id, track_id, step: Step, actor, at) -> None:
        self.w["transition"].add(
            next(self._transition_ids),
            case_id,
            track_id,
            step.name,
            step.source,
            step.target,
            actor,
            at,
        )

    def _apply(self, values: dict, step: Step, day, at, draft: Draft) -> None:
        """Set the fields the transition method set, with this step's date and time."""
        for name, value in step.effects:
            if value is DAY:
                value = day
            elif value is AT:
                value = at
            elif value is RESULT:
                value = complaint_result({row[4] for row in draft.live})
            elif isinstance(value, Due):
                value = self.deadlines.clocks.due(value.kind, day)
            values[name] = value

    def _outcome_work(self, draft: Draft, name: str, at: datetime.datetime) -> None:
        if name == "propose_outcome":
            draft.proposed_at = at
        elif name == "approve_outcome":
            self._outcomes(draft, at)
        elif name == "review_upheld":
            # C&M Regs 2020 reg 30: reinvestigated, the outcomes approved before are superseded.
            for row in draft.live:
                row[-1] = OutcomeStatus.SUPERSEDED
            draft.live = []

    def _outcomes(self, draft: Draft, at: datetime.datetime) -> None:
        """The approved outcome decision and a finding for each allegation and subject."""
        decision = self._take("decision")
        self.w["decision"].add(
            decision,
            draft.id,
            DecisionKind.OUTCOME,
            "Outcome as recorded.",
            DecisionStatus.APPROVED,
            draft.investigator,
            draft.proposed_at or at,
            draft.head,
            at,
        )
        for aid, people in zip(draft.allegations, draft.about, strict=True):
            targets = [draft.tracks[p] for p in people] or [None]
            for track in targets:
                finding, action, _ = OUTCOMES[track["plan"] if track else "service"].draw(self.rng)
                row = [
                    self._take("outcome"),
                    aid,
                    track["id"] if track else None,
                    decision,
                    finding,
                    action,
                    track["forum"] if track else "",
                    at.date(),
                    OutcomeStatus.APPROVED,
                ]
                draft.outcomes.append(row)
                draft.live.append(row)

    # --- rows and clocks -------------------------------------------------------------------
    def _rows(self, draft: Draft, outside: bool) -> None:
        rng, fields = self.rng, draft.fields
        created = at_ten(draft.received_on, 9)
        self.w["case"].add(
            draft.id,
            draft.reference,
            draft.case_type,
            rng.choice(SOURCES[draft.case_type]),
            f"{self.names.summary()} ({draft.reference})",
            draft.received_on,
            fields["state"],
            None if outside else draft.investigator,
            draft.supervisor,
            self.ref.teams[draft.team],
            draft.investigator,
            created,
            fields["finalised_at"] or created,
            *(fields[name] for name in self.case_fields),
        )
        if draft.case_type == CaseType.COMPLAINT:
            anonymous = rng.random() < 0.05
            name = "" if anonymous else f"{self.names.forename()} {self.names.surname()}"
            self.w["complainant"].add(self._take("complainant"), draft.id, name, anonymous)
        for person, track in draft.tracks.items():
            self.w["track"].add(
                track["id"],
                draft.id,
                person,
                track["state"],
                *(track[name] for name in self.track_fields),
            )
        for row in draft.outcomes:
            self.w["outcome"].add(*row)

    def _open_clocks(self, draft: Draft) -> None:
        """The clocks still running on an open case (cases.clocks opens them as the case goes):
        the 12-month report from the day the complaint or matter came to notice (C&M Regs 2020
        reg 13(3) / CR 2020 reg 19(2): 12 months starting with that day) and the subject's
        representations after a regulation 17 notice (CR 2020 reg 18)."""
        state = draft.fields["state"]
        if state in State.closed():
            return
        owners = (draft.investigator, draft.supervisor)
        url = self.ref.urls["case"].format(draft.reference)
        types = self.ref.content_types
        # The periods run until the investigation is concluded (report submitted); none runs
        # for OTBI handling or for an investigation the IOPC directs or carries out (the
        # Director General reports: C&M Regs 2020 reg 13(2)).
        iopc_mode = draft.fields.get("investigation_mode") in (
            InvestigationMode.DIRECTED,
            InvestigationMode.INDEPENDENT,
        )
        if draft.fields["recorded_on"] and state in BEFORE_REPORT and not iopc_mode:
            self.deadlines.open(
                "twelve_month_report",
                (types["case"], draft.id),
                f"{draft.reference}: 12-month report",
                url,
                draft.received_on,
                *owners,
            )
        for track in draft.tracks.values():
            if track["state"] == TrackState.NOTICE_SERVED:
                self.deadlines.open(
                    "reg17_representations",
                    (types["track"], track["id"]),
                    f"{draft.reference}: representations",
                    url,
                    track["notice_served_on"],
                    *owners,
                )
