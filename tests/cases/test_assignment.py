"""Reassignment and bulk handover (issue 12): the new investigator gets the case's object
permissions and open clocks, the old one loses them, all in one transaction; bad moves are
refused with a reason and change nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from guardian.shortcuts import get_perms

from audit.models import AuditEntry
from cases import clocks, services
from cases.models import Case, CaseTransition, CaseUserObjectPermission, State
from cases.selectors_teams import team_queue
from cases.services import ComplainantData
from cases.services.intake import complainant_add
from deadlines.models import Deadline, Notification
from deadlines.models import Status as DeadlineStatus
from psd.domain import DomainError, PermissionDenied
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from tests.cases.factories import OUTSIDE_NO, complaint, conduct_matter, to_handling_decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(team_a):
    """A second investigator on team A."""
    return user_with_role(Role.INVESTIGATOR, "anna", team=team_a)


def recorded(case, actor):
    grounds = ["gravity"] if case.case_type == "conduct" else []
    services.case_record(actor=actor, case=case, recordable_grounds=grounds)
    case.refresh_from_db()
    return case


def open_deadlines(case):
    """The case's own open clocks (a complainant's keep-informed clock is another target)."""
    return list(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id=case.pk,
            status=DeadlineStatus.OPEN,
        )
        .order_by("pk")
        .values_list("kind__code", "owner_id")
    )


def snapshot(*cases):
    """Everything a reassignment touches: the case rows, object permissions and clocks."""
    return (
        list(
            Case.objects.filter(pk__in=[c.pk for c in cases])
            .order_by("pk")
            .values_list("pk", "investigator_id", "team_id", "supervisor_id", "version")
        ),
        sorted(
            CaseUserObjectPermission.objects.filter(
                content_object__in=[c.pk for c in cases]
            ).values_list("content_object_id", "user_id", "permission__codename")
        ),
        list(
            Deadline.objects.filter(status=DeadlineStatus.OPEN)
            .order_by("pk")
            .values_list("pk", "owner_id", "escalate_to_id")
        ),
        CaseTransition.objects.filter(name="assign").count(),
    )


def test_reassignment_moves_permissions_and_deadlines_and_records_who_and_why(alice, anna, bob):
    case = recorded(complaint(alice, supervisor=bob), alice)
    assert set(get_perms(alice, case)) == {"view_case", "change_case"}
    assert open_deadlines(case) == [("twelve_month_report", alice.pk)]

    services.case_reassign(actor=bob, case=case, investigator=anna, reason="Alice on leave")

    case.refresh_from_db()
    assert case.investigator == anna
    assert set(get_perms(anna, case)) == {"view_case", "change_case"}
    assert not CaseUserObjectPermission.objects.filter(user=alice, content_object=case).exists()
    assert open_deadlines(case) == [("twelve_month_report", anna.pk)]
    transition = case.transitions.get(name="assign")
    assert transition.actor == bob
    assert transition.reason == f"Alice on leave (from {alice} to {anna})"
    event = AuditEntry.objects.get(action="case.reassigned", object_pk=str(case.pk))
    assert event.actor == bob and event.reason == "Alice on leave"
    assert event.data["from_investigator"] == alice.pk
    assert event.data["to_investigator"] == anna.pk
    # The case's 12-month clock and the complainant's keep-informed clock (C&M reg 34).
    assert event.data["deadlines_moved"] == 2
    told = Notification.objects.get(recipient=anna)
    assert told.title == f"Case {case.reference} is now yours"
    assert told.url == case.get_absolute_url()


def test_subject_clocks_move_with_the_case(alice, anna, bob):
    case = to_handling_decided(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    track.notice_served_on = case.recorded_on
    clocks.notice_served(track)  # the reg 18 clock runs against the subject's track
    track_deadline = Deadline.objects.get(kind__code="reg17_representations")
    assert track_deadline.owner == alice

    services.case_reassign(actor=bob, case=case, investigator=anna)

    track_deadline.refresh_from_db()
    assert track_deadline.owner == anna


def test_a_failure_midway_leaves_permissions_and_deadlines_as_they_were(
    alice, anna, bob, monkeypatch
):
    case = recorded(complaint(alice, supervisor=bob), alice)
    before = snapshot(case)

    def broken_clock_move(**kwargs):  # runs after the permissions have already moved
        assert CaseUserObjectPermission.objects.filter(user=anna, content_object=case).exists()
        raise RuntimeError("database went away")

    monkeypatch.setattr(clocks.deadlines, "deadline_reassign", broken_clock_move)
    with pytest.raises(RuntimeError):
        services.case_reassign(actor=bob, case=case, investigator=anna, reason="Workload")

    assert snapshot(case) == before
    assert set(get_perms(alice, case)) == {"view_case", "change_case"}
    assert get_perms(anna, case) == []


@pytest.mark.parametrize(
    "who", ["auditor", "supervisor", "inactive investigator", "the same investigator"]
)
def test_reassigning_to_someone_who_cannot_investigate_is_refused(alice, bob, who):
    case = recorded(complaint(alice, supervisor=bob), alice)
    target = {
        "auditor": lambda: user_with_role(Role.AUDITOR, "eve2"),
        "supervisor": lambda: user_with_role(Role.SUPERVISOR, "sam", team=alice.team),
        "inactive investigator": lambda: user_with_role(
            Role.INVESTIGATOR, "ian", team=alice.team, is_active=False
        ),
        "the same investigator": lambda: alice,
    }[who]()
    before = snapshot(case)
    with pytest.raises(DomainError) as error:
        services.case_reassign(actor=bob, case=case, investigator=target)
    assert error.value.field == "investigator"
    assert snapshot(case) == before


def test_reassigning_to_a_subject_or_a_complainant_of_the_case_is_refused(alice, anna, bob):
    officer = PersonFactory(user=anna)
    case = recorded(complaint(alice, officer, supervisor=bob), alice)
    before = snapshot(case)
    with pytest.raises(DomainError, match="subject or complainant"):
        services.case_reassign(actor=bob, case=case, investigator=anna)
    assert snapshot(case) == before

    carl = user_with_role(Role.INVESTIGATOR, "carl", team=alice.team)
    other = complaint(alice, supervisor=bob)
    complainant_add(
        actor=alice, case=other, data=ComplainantData(name="Carl", person=PersonFactory(user=carl))
    )
    with pytest.raises(DomainError, match="subject or complainant"):
        services.case_reassign(actor=bob, case=other, investigator=carl)
    assert Case.objects.get(pk=other.pk).investigator == alice


def test_a_finalised_case_cannot_be_reassigned(alice, anna, bob):
    case = complaint(alice, supervisor=bob)
    services.case_handle_outside_schedule_3(
        answers=OUTSIDE_NO, actor=alice, case=case, reason="Minor rudeness"
    )
    services.case_resolve_outside(actor=alice, case=case, reason="Apology given")
    case.refresh_from_db()
    assert case.state == State.FINALISED
    before = snapshot(case)
    with pytest.raises(DomainError, match="closed case cannot be reassigned"):
        services.case_reassign(actor=bob, case=case, investigator=anna)
    assert snapshot(case) == before


def test_a_supervisor_allocates_only_their_own_teams_cases(alice, bob, carol, dave):
    case = complaint(dave)  # team B
    with pytest.raises(PermissionDenied):
        services.case_reassign(actor=bob, case=case, investigator=alice)
    with pytest.raises(PermissionDenied):
        services.case_reassign(actor=alice, case=case, investigator=alice)  # not a supervisor
    services.case_reassign(actor=carol, case=case, investigator=alice, reason="Conflict")
    case.refresh_from_db()
    assert case.investigator == alice and case.team == alice.team


def test_a_team_supervisor_outside_the_team_may_allocate_its_cases(alice, team_b, dave):
    sue = user_with_role(Role.SUPERVISOR, "sue")  # in no team, but team B names her
    team_b.supervisor = sue
    team_b.save()
    case = complaint(dave)
    services.case_reassign(
        actor=sue, case=case, investigator=user_with_role(Role.INVESTIGATOR, "dan", team=team_b)
    )
    assert Case.objects.get(pk=case.pk).investigator.username == "dan"


def test_an_unassigned_case_waits_in_the_team_queue_until_allocated(alice, anna, bob, team_a):
    team_a.supervisor = bob
    team_a.save()
    case = complaint(bob, unassigned=True)
    assert case.investigator is None and case.team == team_a and case.supervisor == bob
    assert list(team_queue(user=bob, team=team_a)) == [case]
    assert get_perms(bob, case) == []

    services.case_reassign(actor=bob, case=case, investigator=anna, reason="Allocated")

    assert list(team_queue(user=bob, team=team_a)) == []
    assert set(get_perms(anna, case)) == {"view_case", "change_case"}
    assert (
        case.transitions.get(name="assign").reason == f"Allocated (from the team queue to {anna})"
    )


# --- bulk handover ------------------------------------------------------------------------


def test_handover_moves_every_open_case_with_its_clocks_and_leaves_closed_ones(alice, anna, bob):
    first = recorded(complaint(alice, supervisor=bob), alice)
    second = recorded(conduct_matter(alice, supervisor=bob), alice)
    closed = complaint(alice, supervisor=bob)
    services.case_handle_outside_schedule_3(
        answers=OUTSIDE_NO, actor=alice, case=closed, reason="Minor"
    )
    services.case_resolve_outside(actor=alice, case=closed, reason="Resolved")

    moved = services.cases_hand_over(
        actor=bob, from_user=alice, to_user=anna, reason="Alice leaves PSD"
    )

    assert sorted(c.pk for c in moved) == sorted([first.pk, second.pk])
    for case in (first, second):
        case.refresh_from_db()
        assert case.investigator == anna
        assert open_deadlines(case) == [("twelve_month_report", anna.pk)]
        assert get_perms(alice, case) == []
        assert case.transitions.get(name="assign").reason.startswith("Alice leaves PSD")
    assert Case.objects.get(pk=closed.pk).investigator == alice
    assert AuditEntry.objects.filter(action="case.reassigned", actor=bob).count() == 2


def test_handover_is_all_or_nothing_when_one_case_fails(alice, anna, bob, monkeypatch):
    first = recorded(complaint(alice, supervisor=bob), alice)
    second = recorded(complaint(alice, supervisor=bob), alice)
    before = snapshot(first, second)
    real = clocks.case_reassigned
    calls = []

    def fail_on_the_second(case):
        calls.append(case.pk)
        if len(calls) == 2:
            raise RuntimeError("crash during the second case")
        return real(case)

    monkeypatch.setattr(clocks, "case_reassigned", fail_on_the_second)
    with pytest.raises(RuntimeError):
        services.cases_hand_over(actor=bob, from_user=alice, to_user=anna, reason="Leaving")

    assert calls == [first.pk, second.pk]  # the first case had fully moved before the crash
    assert snapshot(first, second) == before


def test_handover_is_refused_naming_the_case_the_new_investigator_is_party_to(alice, anna, bob):
    fine = recorded(complaint(alice, supervisor=bob), alice)
    conflicted = recorded(complaint(alice, PersonFactory(user=anna), supervisor=bob), alice)
    before = snapshot(fine, conflicted)
    with pytest.raises(DomainError) as error:
        services.cases_hand_over(actor=bob, from_user=alice, to_user=anna, reason="Leaving")
    assert conflicted.reference in error.value.message
    assert snapshot(fine, conflicted) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "  "}, "Say why"),
        ({"to_user": "alice"}, "different investigator"),
        ({"from_user": "anna", "to_user": "alice"}, "no open cases you can hand over"),
    ],
)
def test_handover_bad_input_is_refused(alice, anna, bob, change, message):
    complaint(alice, supervisor=bob)
    users = {"alice": alice, "anna": anna}
    kwargs = {"from_user": alice, "to_user": anna, "reason": "Leaving"}
    kwargs.update({k: users.get(v, v) for k, v in change.items()})
    with pytest.raises(DomainError, match=message):
        services.cases_hand_over(actor=bob, **kwargs)
    assert not CaseTransition.objects.filter(name="assign").exists()


def test_a_supervisor_hands_over_only_their_own_teams_cases(alice, bob, carol, dave):
    own = complaint(alice, supervisor=bob)
    other = complaint(alice, team=dave.team)  # alice holds a team B case too
    anna = user_with_role(Role.INVESTIGATOR, "anna2", team=alice.team)
    moved = services.cases_hand_over(actor=bob, from_user=alice, to_user=anna, reason="Leaving")
    assert [c.pk for c in moved] == [own.pk]
    assert Case.objects.get(pk=other.pk).investigator == alice
    services.cases_hand_over(actor=carol, from_user=alice, to_user=anna, reason="Leaving")
    assert Case.objects.get(pk=other.pk).investigator == anna
