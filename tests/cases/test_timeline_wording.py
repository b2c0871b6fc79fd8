"""The timeline speaks plain English: every logged step of a case or of a subject has a
sentence (a new @transition or ``log_transition`` name without one fails here), every kind of
entry belongs to a filter, and the page shows no state codes or method names."""

import ast
import pathlib

import pytest

from cases.models import Case, SubjectTrack
from cases.timeline import FILTERS, KINDS, TRANSITIONS, transition_detail, transition_title
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint, criterion
from tests.cases.routes import awaiting_iopc, decided

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = [p for p in ROOT.iterdir() if (p / "apps.py").exists() or p.name == "psd"]


def fsm_transition_names(model) -> set[str]:
    field = model._meta.get_field("state")
    return {t.name for t in field.get_all_transitions(model)}


def logged_names() -> set[str]:
    """Every literal ``name=`` given to ``log_transition`` anywhere in the project."""
    names = set()
    for app in APPS:
        for path in app.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "log_transition":
                    for keyword in node.keywords:
                        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                            names.add(keyword.value.value)
    return names


def test_every_case_and_subject_transition_has_a_sentence():
    names = fsm_transition_names(Case) | fsm_transition_names(SubjectTrack) | logged_names()
    assert {"record", "assess_severity", "create", "allegation_add"} <= names  # found them
    missing = sorted(names - set(TRANSITIONS))
    assert not missing, f"add plain-English wording to cases/timeline.py for: {missing}"


def test_every_kind_of_entry_has_a_filter():
    assert set(KINDS.values()) <= set(FILTERS)
    assert {"decision", "note", "document", "deadline", "transition", "referral"} <= set(KINDS)


def test_wording_reads_as_sentences_not_codes():
    assert transition_title("refer_to_iopc") == "Referred to the IOPC"
    assert transition_title("serve_notice", "PC Nadia Okafor") == (
        "Regulation 17 notice served on PC Nadia Okafor"
    )
    detail = transition_detail("recorded", "referral_assessment", "No criterion", track=False)
    assert detail == "Now: Referral assessment. No criterion"
    assert "_" not in transition_title("a_step_nobody_worded")


@pytest.mark.django_db
def test_case_page_timeline_has_no_internal_codes(client, alice, bob):
    case = awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    client.force_login(alice)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Assessed for referral to the IOPC" in html
    assert "Now: Referred to the IOPC." in html
    for code in ("recorded →", "→ referral_assessment", "Refer to iopc", "awaiting_iopc"):
        assert code not in html


@pytest.mark.django_db
def test_subject_steps_name_the_subject(client, alice, bob):
    officer = PersonFactory(forename="Nadia", surname="Okafor")
    case = decided(complaint(alice, officer, supervisor=bob), alice, bob)
    client.force_login(alice)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Case to answer for" in html and "Okafor" in html
    assert "awaiting_decision" not in html and "→" not in html
