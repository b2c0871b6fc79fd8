"""The generator's walks come from the state machines: every walk replays through the real
transition methods, the policy can only name transitions the models define, and the tables are
the same every time they are built."""

import datetime
import math
import random

import pytest
from django_fsm import can_proceed

from cases.models import Case, CaseType, State, SubjectTrack
from datagen import lifecycle as lc
from datagen.lifecycle import AT, DAY, END, POLICY, RESULT, Due, Lifecycle
from datagen.mix import DAYS

VALUES = {
    DAY: datetime.date(2026, 1, 5),
    AT: datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC),
    RESULT: "acceptable",
}


def _run(obj, step, extra) -> None:
    method = getattr(obj, step.name)
    assert can_proceed(method), f"{step.name} not allowed from {obj.state}"
    assert obj.state == step.source
    params = list(lc._parameters(type(obj), step.name))
    given = {"on": VALUES[DAY], "at": VALUES[AT], "notice_on": VALUES[DAY]}
    given.update({"date": VALUES[DAY], **extra})
    method(**{p: given[p] for p in params if p in given})
    assert obj.state == step.target


def _mode_of(step) -> dict:
    return dict(step.effects).get("investigation_mode", "")


def test_every_walk_replays_through_case_and_ends_closed():
    life = Lifecycle()
    assert set(life.walks) == {(t, s) for t in CaseType.values for s in (True, False)}
    for (case_type, _), (walks, cumulative) in life.walks.items():
        assert math.isclose(cumulative[-1], 1.0)
        assert len(set(walks)) == len(walks)
        for walk in walks:
            case = Case(case_type=case_type)
            for step in walk:
                extra = {"mode": _mode_of(step)} if step.name == "iopc_decided" else {}
                _run(case, step, extra)
            assert case.state in State.closed()


def test_walks_follow_the_models_conditions():
    life = Lifecycle()
    for case_type in (CaseType.CONDUCT_MATTER, CaseType.DSI):
        names = {s.name for walk in life.walks[case_type, True][0] for s in walk}
        # Complaint-only transitions (conditions=[_is_complaint]; reg 29 for the review).
        assert not names & {"withdraw", "handle_outside_schedule_3", "handle_otbi"}
        assert "request_review" not in names
    complaint = {s.name for walk in life.walks[CaseType.COMPLAINT, True][0] for s in walk}
    assert {"withdraw", "handle_otbi", "request_review", "review_upheld"} <= complaint
    no_subjects = {s.name for w in life.walks[CaseType.COMPLAINT, False][0] for s in w}
    assert "start_proceedings" not in no_subjects
    # Targets come from the methods: RETURN_VALUE targets included.
    targets = {(s.name, s.target) for w in life.walks[CaseType.COMPLAINT, True][0] for s in w}
    assert ("iopc_decided", State.INDEPENDENT_INVESTIGATION) in targets
    assert ("iopc_decided", State.HANDLING_DECIDED) in targets
    assert ("refuse_outcome", State.OTBI) in targets and (
        "refuse_outcome",
        State.PROCEEDINGS,
    ) in targets


def test_track_steps_replay_through_subject_track():
    life = Lifecycle()
    for plan, (_, severity, sequence) in lc.TRACK_PLANS.items():
        track = SubjectTrack()
        for case_names, name in sequence:
            step = next(s for s in life.hooks[case_names[0]][plan] if s.name == name)
            _run(track, step, {"severity": severity})
    proceedings = dict(life.hooks["start_proceedings"]["hearing"][0].effects)
    assert proceedings["proceedings_date"] == Due("reg31_response")


def test_policy_and_days_name_only_real_transitions(monkeypatch):
    names = {t.name for t in Case._meta.get_field("state").get_all_transitions(Case)}
    listed = {name for options in POLICY.values() for name, _, _ in options} - {END}
    assert listed <= names
    assert listed <= set(DAYS)
    renamed = dict(POLICY)
    renamed[State.RECORDED] = [("assess_the_referral", {}, 1)]
    monkeypatch.setattr(lc, "POLICY", renamed)
    with pytest.raises(RuntimeError, match="no transition assess_the_referral"):
        Lifecycle()


def test_a_track_plan_the_machine_refuses_stops_the_build(monkeypatch):
    plans = dict(lc.TRACK_PLANS)
    # serve_notice needs misconduct or gross misconduct (CR 2020 reg 17): not for "none".
    plans["no_action"] = (61, "none", [lc._ASSESS, (lc.START, "serve_notice")])
    monkeypatch.setattr(lc, "TRACK_PLANS", plans)
    with pytest.raises(RuntimeError, match="serve_notice is not allowed"):
        Lifecycle()


def test_tables_are_the_same_each_build_and_sampling_is_seeded():
    first, second = Lifecycle(), Lifecycle()
    assert first.walks == second.walks and first.hooks == second.hooks
    draws = [
        [first.walk(random.Random(5), CaseType.COMPLAINT, True) for _ in range(3)],
        [second.walk(random.Random(5), CaseType.COMPLAINT, True) for _ in range(3)],
    ]
    assert draws[0] == draws[1]


def test_the_mix_is_close_to_the_policy():
    life = Lifecycle()
    walks, cumulative = life.walks[CaseType.COMPLAINT, True]
    weights = [b - a for a, b in zip([0.0, *cumulative], cumulative, strict=False)]
    outside = sum(w for w, walk in zip(weights, walks, strict=True) if walk[0].name != "record")
    assert outside == pytest.approx(0.30)
    referred = sum(
        w
        for w, walk in zip(weights, walks, strict=True)
        if any(s.name == "refer_to_iopc" for s in walk)
    )
    assert referred == pytest.approx(0.70 * 0.06 + 0.30 * 0.10 * 0.06)
