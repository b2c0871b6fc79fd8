"""Applications: checks, list matches, grant, four-eyes refusal, withdrawal and appeal."""

import datetime

import pytest

from psd.domain import DomainError, PermissionDenied
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from vetting import services
from vetting.models import (
    Appeal,
    AppealOutcome,
    ApplicationStatus,
    Clearance,
    ClearanceStatus,
    ListMatchResolution,
    ListType,
    MatchResolution,
    VettingApplication,
    VettingCheck,
)

from .factories import (
    advisory_entry,
    applicant_application,
    barred_entry,
    days_ago,
    granted,
    level,
    person_application,
    reason,
    record_checks,
)

pytestmark = pytest.mark.django_db


def test_reference_data_is_seeded_with_editable_intervals():
    assert level("rv").renewal_months == 120
    assert level("mv").renewal_months == 84
    assert {code: level(code).recorded_only for code in ("ctc", "sc", "dv")} == {
        "ctc": True,
        "sc": True,
        "dv": True,
    }
    assert (
        VettingCheck.objects.filter(
            code__in=[
                "pnc",
                "pnd",
                "barred_list",
                "advisory_list",
                "financial",
                "family_associates",
            ]
        ).count()
        == 6
    )


def test_grant_gives_a_clearance_expiring_after_the_level_interval(victor):
    officer = PersonFactory()
    application = granted(
        victor, officer, code="mv", granted_on=datetime.date(2026, 2, 28), received=400
    )
    clearance = Clearance.objects.get(person=officer)
    assert application.status == ApplicationStatus.GRANTED
    assert clearance.expires_on == datetime.date(2033, 2, 28)  # MV: 7 years
    assert clearance.status == ClearanceStatus.ACTIVE
    assert [e.kind for e in clearance.events.all()] == ["granted"]


def test_an_edited_interval_applies_to_the_next_grant(victor):
    rv = level("rv")
    rv.renewal_months = 60
    rv.save()
    granted(victor, code="rv", granted_on=datetime.date(2026, 1, 10), received=400)
    assert Clearance.objects.get().expires_on == datetime.date(2031, 1, 10)


def test_grant_without_every_mandatory_check_is_refused_and_nothing_saved(victor):
    application = person_application(victor)
    services.check_record(
        actor=victor,
        application=application,
        check=VettingCheck.objects.get(code="pnc"),
        result="clear",
        done_on=days_ago(2),
    )
    with pytest.raises(
        DomainError,
        match="Record every mandatory check before granting. "
        "Missing: Identity and right to work, Police National "
        "Database",
    ):
        services.application_grant(actor=victor, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OPEN and not Clearance.objects.exists()


def test_expiry_before_grant_is_refused(victor):
    application = person_application(victor)
    record_checks(victor, application)
    with pytest.raises(DomainError, match="must be after the date of grant") as error:
        services.application_grant(
            actor=victor, application=application, granted_on=days_ago(1), expires_on=days_ago(10)
        )
    assert error.value.field == "expires_on"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OPEN and not Clearance.objects.exists()


def test_an_unresolved_barred_list_match_blocks_the_grant(victor):
    entry = barred_entry(forename="Jamie", surname="Flecher")  # misspelt: fuzzy match
    application = applicant_application(victor)
    record_checks(victor, application)
    with pytest.raises(
        DomainError,
        match=r"barred list match \(Jamie Flecher, .*\) is "
        "unresolved",
    ):
        services.application_grant(actor=victor, application=application)
    assert VettingApplication.objects.get().status == ApplicationStatus.OPEN

    services.list_match_resolve(
        actor=victor,
        application=application,
        entry_type=ListType.BARRED,
        entry_id=entry.pk,
        resolution=MatchResolution.NOT_SAME,
        reason="Different middle name and birthplace",
    )
    services.application_grant(actor=victor, application=application)
    assert VettingApplication.objects.get().status == ApplicationStatus.GRANTED


def test_a_same_person_advisory_match_means_refusal(victor):
    entry = advisory_entry()
    application = applicant_application(victor)
    record_checks(victor, application)
    services.list_match_resolve(
        actor=victor,
        application=application,
        entry_type=ListType.ADVISORY,
        entry_id=entry.pk,
        resolution=MatchResolution.SAME_REFUSE,
        reason="Same passport number",
    )
    with pytest.raises(DomainError, match="is the same person: the application must be refused"):
        services.application_grant(actor=victor, application=application)


def test_a_list_entry_with_another_date_of_birth_is_no_match(victor):
    barred_entry(date_of_birth=datetime.date(1970, 1, 1))
    application = applicant_application(victor)
    record_checks(victor, application)
    application = services.application_grant(actor=victor, application=application)
    assert application.status == ApplicationStatus.GRANTED


def test_resolving_needs_a_reason_and_a_real_match(victor):
    entry = barred_entry()
    application = applicant_application(victor)
    with pytest.raises(DomainError, match="Say how you decided"):
        services.list_match_resolve(
            actor=victor,
            application=application,
            entry_type=ListType.BARRED,
            entry_id=entry.pk,
            resolution=MatchResolution.NOT_SAME,
            reason=" ",
        )
    with pytest.raises(DomainError, match="not a possible match"):
        services.list_match_resolve(
            actor=victor,
            application=application,
            entry_type=ListType.ADVISORY,
            entry_id=entry.pk,
            resolution=MatchResolution.NOT_SAME,
            reason="No",
        )
    assert not ListMatchResolution.objects.exists()


def test_refusal_needs_a_reason(victor):
    application = person_application(victor)
    with pytest.raises(DomainError, match="Choose the reason for the refusal"):
        services.application_propose_refusal(actor=victor, application=application, reason=None)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OPEN and application.refusal_reason is None


def test_the_proposer_cannot_approve_their_own_refusal(victor, vera):
    application = person_application(victor)
    services.application_propose_refusal(
        actor=victor, application=application, reason=reason("financial"), details="CCJs"
    )
    with pytest.raises(PermissionDenied, match="A second vetting officer must approve"):
        services.application_approve_refusal(actor=victor, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSAL_PROPOSED

    services.application_approve_refusal(actor=vera, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert (application.refusal_proposed_by, application.decided_by) == (victor, vera)


def test_a_second_officer_may_return_a_proposed_refusal(victor, vera):
    application = person_application(victor)
    services.application_propose_refusal(
        actor=victor, application=application, reason=reason("other")
    )
    services.application_reject_refusal(
        actor=vera, application=application, note="Not enough evidence"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OPEN and application.refusal_reason is None


def test_no_one_but_a_vetting_officer_decides(alice, victor):
    application = person_application(victor)
    with pytest.raises(PermissionDenied, match="Only a vetting officer may grant clearance"):
        services.application_grant(actor=alice, application=application)


def test_withdrawal_needs_a_reason_and_ends_the_application(victor):
    application = person_application(victor)
    with pytest.raises(DomainError, match="Give the reason"):
        services.application_withdraw(actor=victor, application=application, reason="")
    services.application_withdraw(actor=victor, application=application, reason="Took another job")
    with pytest.raises(DomainError, match="is withdrawn: it cannot be granted"):
        services.application_grant(actor=victor, application=application)


def test_appeal_upheld_by_an_officer_outside_the_refusal_reopens_it(victor, vera):
    walt = user_with_role(Role.VETTING_OFFICER, "walt")
    application = person_application(victor)
    services.application_propose_refusal(
        actor=victor, application=application, reason=reason("associations")
    )
    services.application_approve_refusal(actor=vera, application=application)
    appeal = services.appeal_record(
        actor=victor,
        application=application,
        lodged_on=days_ago(0),
        grounds="Associate is estranged",
    )
    with pytest.raises(PermissionDenied, match="took no part in the refusal"):
        services.appeal_decide(
            actor=vera, appeal=appeal, outcome=AppealOutcome.UPHELD, decided_on=days_ago(0)
        )
    services.appeal_decide(
        actor=walt,
        appeal=appeal,
        outcome=AppealOutcome.UPHELD,
        decided_on=days_ago(0),
        notes="Evidence of estrangement",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OPEN
    assert Appeal.objects.get().outcome == AppealOutcome.UPHELD


def test_an_applicant_who_joins_gets_the_clearance_granted_before(victor):
    application = applicant_application(victor)
    record_checks(victor, application)
    services.application_grant(actor=victor, application=application, granted_on=days_ago(5))
    assert not Clearance.objects.exists()  # not yet on the register
    person = PersonFactory(forename="Jamie", surname="Fletcher")
    services.applicant_link_person(actor=victor, applicant=application.applicant, person=person)
    clearance = Clearance.objects.get(person=person)
    assert clearance.granted_on == days_ago(5) and clearance.application == application


def test_national_security_levels_are_recorded_not_applied_for(victor):
    with pytest.raises(DomainError, match="SC is a national security level"):
        person_application(victor, code="sc")
    person = PersonFactory()
    with pytest.raises(DomainError, match="must be after the date of grant"):
        services.clearance_record(
            actor=victor,
            person=person,
            level=level("dv"),
            granted_on=days_ago(3),
            expires_on=days_ago(3),
        )
    services.clearance_record(
        actor=victor,
        person=person,
        level=level("dv"),
        granted_on=days_ago(3),
        expires_on=days_ago(-700),
    )
    assert Clearance.objects.get().events.get().kind == "recorded"
