"""Police staff are outside the Conduct Regulations (CR 2020 reg 4(1)): their outcomes come from
the force's staff disciplinary outcome list (editable by administrators and the PSD head),
not reg 42; a staff dismissal (with or without notice) is still reported to the barred list."""

import pytest

from accounts.models import RoleType
from audit.models import AuditEntry
from cases import services
from cases.models import (
    Action,
    BarredListEntry,
    Decision,
    Finding,
    Forum,
    Outcome,
    StaffOutcomeKind,
)
from cases.services.staff import staff_outcome_refusal
from deadlines.calendar import add_months
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory, StaffPersonFactory
from tests.cases.factories import complaint
from tests.cases.helpers import post_action
from tests.cases.routes import concluded, fresh, outcomes_for, snapshot

pytestmark = pytest.mark.django_db


def kind(code: str) -> StaffOutcomeKind:
    return StaffOutcomeKind.objects.get(code=code)


def _staff_case(alice, bob, person=None, forum=Forum.HEARING):
    person = person or StaffPersonFactory()
    return concluded(complaint(alice, person, supervisor=bob), alice, bob, forum=forum)


def _outcomes(case, staff_outcome=None, action=Action.NONE, finding=None):
    finding = finding or Finding.GROSS_MISCONDUCT_PROVEN
    outcomes = outcomes_for(case, finding=finding, action=action)
    for data in outcomes:
        data.staff_outcome = staff_outcome
    return outcomes


def _refused(case, alice, outcomes, words):
    before = (snapshot(case), Decision.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError, match=words):
        services.outcome_propose(actor=alice, case=case, outcomes=outcomes, rationale="R")
    assert (snapshot(case), Decision.objects.count(), AuditEntry.objects.count()) == before


def test_the_list_is_seeded_with_dismissal_with_and_without_notice():
    assert kind("dismissal_with_notice").barred_list_dismissal
    assert kind("dismissal_without_notice").barred_list_dismissal
    assert not kind("final_written_warning").barred_list_dismissal


def test_staff_dismissed_with_notice_are_reported_to_the_barred_list(alice, bob):
    case = _staff_case(alice, bob)
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=_outcomes(case, kind("dismissal_with_notice")),
        rationale="Dismissed with notice under the staff policy",
    )
    services.decision_approve(actor=bob, decision=decision)
    outcome = Outcome.objects.get(allegation__case=case)
    assert outcome.staff_outcome.code == "dismissal_with_notice" and outcome.action == Action.NONE
    assert BarredListEntry.objects.filter(outcome=outcome).exists()


def test_a_staff_warning_is_live_for_the_months_the_list_gives(alice, bob):
    case = _staff_case(alice, bob)
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=_outcomes(case, kind("final_written_warning")),
        rationale="R",
    )
    services.decision_approve(actor=bob, decision=decision)
    outcome = Outcome.objects.get(allegation__case=case)
    months = kind("final_written_warning").live_months
    assert outcome.live_until == add_months(outcome.effective_on, months)
    assert not BarredListEntry.objects.exists()


@pytest.mark.parametrize("role_type", [RoleType.STAFF, RoleType.PCSO])
def test_staff_are_not_given_conduct_regulations_outcomes(alice, bob, role_type):
    case = _staff_case(alice, bob, StaffPersonFactory(role_type=role_type))
    _refused(
        case,
        alice,
        _outcomes(case, action=Action.FINAL_WRITTEN_WARNING),
        "not under the Conduct Regulations",
    )
    _refused(case, alice, _outcomes(case), "staff disciplinary outcome list")


def test_an_officer_is_not_given_a_staff_outcome(alice, bob):
    case = _staff_case(alice, bob, PersonFactory())
    _refused(
        case,
        alice,
        _outcomes(case, kind("dismissal_with_notice"), action=Action.DISMISSAL),
        "only for police staff",
    )


def test_a_retired_staff_outcome_is_not_given(alice, bob):
    StaffOutcomeKind.objects.filter(code="first_written_warning").update(active=False)
    case = _staff_case(alice, bob)
    _refused(case, alice, _outcomes(case, kind("first_written_warning")), "no longer on the")


def test_no_staff_outcome_without_a_proven_finding():
    person = StaffPersonFactory.build()
    assert "only a proven allegation" in staff_outcome_refusal(
        who="A",
        person=person,
        finding=Finding.NOT_PROVEN,
        action=Action.NONE,
        staff_outcome=StaffOutcomeKind(name="Warning"),
    )


def test_the_page_asks_for_the_staff_outcome_and_takes_it(client, alice, bob):
    case = _staff_case(alice, bob)
    track, allegation = case.tracks.get(), case.allegations.get()
    key = f"{allegation.pk}_{track.pk}"
    client.force_login(alice)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f"staff_outcome_{key}" in page and "Dismissal with notice" in page
    response = post_action(
        client,
        case,
        "propose_outcome",
        **{
            f"finding_{key}": Finding.GROSS_MISCONDUCT_PROVEN,
            f"action_{key}": Action.NONE,
            f"staff_outcome_{key}": kind("dismissal_with_notice").pk,
            "effective_on": fresh(case).received_on.isoformat(),
            "rationale": "Staff policy",
        },
    )
    assert response.status_code == 302
    assert Outcome.objects.get(allegation=allegation).staff_outcome == kind("dismissal_with_notice")


def test_administrators_and_the_psd_head_edit_the_list(alice, carol, ada):
    assert carol.has_perm("cases.change_staffoutcomekind")
    assert ada.has_perm("cases.add_staffoutcomekind")
    assert not alice.has_perm("cases.change_staffoutcomekind")
