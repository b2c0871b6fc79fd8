"""C&M Regs 2020 reg 38(3)-(4): when a complainant withdraws, the IOPC is told if the complaint
was referred (and not referred back), the review body if it is under review — recorded as tasks
with deadlines, met when the notification is recorded."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases import services
from cases.models import InvestigationMode, ReviewBody, ReviewResult, State
from cases.services.withdrawal import (
    NOTIFY_IOPC,
    NOTIFY_REVIEW_BODY,
    case_record_withdrawal_notice_refusal,
    withdrawal_notifies_iopc,
    withdrawal_review,
)
from deadlines.calendar import add_working_days
from deadlines.models import DeadlineKind
from psd.domain import DomainError
from tests.cases.factories import complaint, criterion, days_ago
from tests.cases.helpers import post_action
from tests.cases.routes import awaiting_iopc, deadline, finalised, fresh, open_deadlines, snapshot

pytestmark = pytest.mark.django_db


def _withdraw(alice, case):
    services.case_withdraw(actor=alice, case=case, reason="Letter signed by the complainant")
    return fresh(case)


def test_a_referred_complaint_withdrawn_is_a_task_to_tell_the_iopc(alice, bob):
    case = awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    case = _withdraw(alice, case)
    assert case.state == State.WITHDRAWN
    assert open_deadlines(case) == {NOTIFY_IOPC}
    task = deadline(case, NOTIFY_IOPC)
    assert task.owner == alice and task.escalate_to == bob
    assert task.due_date == add_working_days(days_ago(0), 5)


def test_a_voluntary_referral_or_one_referred_back_needs_no_notice(alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(
        actor=alice, case=case, criteria=[], voluntary=True, rationale="Gravity"
    )
    services.case_refer_to_iopc(actor=alice, case=case, referred_on=days_ago(1))
    assert open_deadlines(_withdraw(alice, case)) == set()
    other = awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    services.case_record_iopc_decision(actor=alice, case=other, mode=InvestigationMode.NONE)
    assert open_deadlines(_withdraw(alice, fresh(other))) == set()


def test_a_complaint_under_review_withdrawn_is_a_task_to_tell_the_review_body(alice, bob):
    case = finalised(complaint(alice, supervisor=bob), alice, bob)
    services.case_request_review(actor=alice, case=case, received_on=days_ago(0))
    case = _withdraw(alice, fresh(case))
    assert open_deadlines(case) == {NOTIFY_REVIEW_BODY}
    # The review body is derived (C&M Regs 2020 reg 32), here the IOPC: named in the task.
    assert services.review_body_for(case) == ReviewBody.IOPC
    assert "tell the IOPC (review body" in deadline(case, NOTIFY_REVIEW_BODY).label


def test_recording_the_notification_meets_the_task(alice, bob):
    case = _withdraw(
        alice, awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    )
    services.case_record_withdrawal_notice(
        actor=alice, case=case, recipient=NOTIFY_IOPC, notified_on=days_ago(0)
    )
    assert deadline(case, NOTIFY_IOPC).status == "met"
    assert case.transitions.filter(name="withdrawal_notified").exists()
    assert "No notification" in case_record_withdrawal_notice_refusal(actor=alice, case=case)


def test_a_refused_notification_changes_nothing(alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    case = _withdraw(alice, fresh(case))
    before = (snapshot(case), AuditEntry.objects.count())
    with pytest.raises(DomainError, match="No notification"):
        services.case_record_withdrawal_notice(
            actor=alice, case=case, recipient=NOTIFY_IOPC, notified_on=days_ago(0)
        )
    assert (snapshot(case), AuditEntry.objects.count()) == before


def test_the_page_records_the_notification(client, alice, bob):
    case = _withdraw(
        alice, awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    )
    client.force_login(alice)
    assert "withdrawal_notified" in client.get(case.get_absolute_url()).content.decode()
    response = post_action(
        client,
        case,
        "withdrawal_notified",
        recipient=NOTIFY_REVIEW_BODY,
        notified_on=days_ago(0).isoformat(),
    )
    assert response.status_code == 400  # no review: that notification is not outstanding
    assert deadline(case, NOTIFY_IOPC).status == "open"
    response = post_action(
        client,
        case,
        "withdrawal_notified",
        recipient=NOTIFY_IOPC,
        notified_on=days_ago(0).isoformat(),
    )
    assert response.status_code == 302
    assert deadline(case, NOTIFY_IOPC).status == "met"


def test_a_review_not_upheld_then_withdrawal_needs_no_review_notice(alice, bob):
    case = finalised(complaint(alice, supervisor=bob), alice, bob)
    services.case_request_review(actor=alice, case=case, received_on=days_ago(0))
    services.case_record_review_result(
        actor=alice, case=fresh(case), result=ReviewResult.NOT_UPHELD
    )
    assert fresh(case).state == State.FINALISED
    with pytest.raises(DomainError):
        _withdraw(alice, fresh(case))


def test_who_is_told_follows_reg_38(alice, bob):
    case = awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    assert withdrawal_notifies_iopc(case) and withdrawal_review(case) is None


def test_the_period_is_the_force_s_own(alice, bob):
    """Reg 38 sets no period: the force sets it (deadlines.DeadlineKind)."""
    DeadlineKind.objects.filter(code="withdrawal_notify_iopc").update(amount=2)
    DeadlineKind.objects.filter(code="withdrawal_notify_review_body").update(amount=3)
    case = _withdraw(
        alice, awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    )
    assert deadline(case, NOTIFY_IOPC).due_date == add_working_days(days_ago(0), 2)


# --- Reg 38(1): who signed the notification, and what it says ------------------------------


def _recorded(alice):
    case = complaint(alice)
    services.case_record(actor=alice, case=case)
    return fresh(case)


def _withdrawal_reason(case) -> str:
    return case.transitions.get(name="withdraw").reason


def test_a_solicitor_signs_for_the_complainant_and_the_history_says_so(alice):
    case = _recorded(alice)
    services.case_withdraw(
        actor=alice,
        case=case,
        reason="Letter of 1 March",
        signed_by="solicitor",
        wish="no_further_steps",
    )
    case = fresh(case)
    assert case.state == State.WITHDRAWN
    assert _withdrawal_reason(case) == (
        "Notification signed by the complainant's solicitor: the complainant does not wish any "
        "further steps to be taken (C&M Regs 2020 reg 38(1)(b)). Letter of 1 March"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"signed_by": "investigator"}, "signed_by"),
        ({"signed_by": ""}, "signed_by"),
        ({"wish": "pause"}, "wish"),
    ],
)
def test_a_notification_nobody_may_sign_or_that_says_neither_is_refused(alice, kwargs, field):
    case = _recorded(alice)
    before, audits = snapshot(case), AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        services.case_withdraw(actor=alice, case=case, reason="Letter", **kwargs)
    assert refused.value.field == field and "reg 38(1)" in str(refused.value)
    assert snapshot(case) == before and AuditEntry.objects.count() == audits


def test_the_page_asks_who_signed_and_refuses_without_it(client, alice):
    case = _recorded(alice)
    client.force_login(alice)
    form_page = reverse("cases:action_form", args=[case.reference, "withdraw", 0])
    page = client.get(form_page).content.decode()
    assert "Who signed the notification" in page and "The complainant&#x27;s solicitor" in page
    before = snapshot(case)
    response = post_action(client, case, "withdraw", wish="withdraw", reason="Letter")
    assert response.status_code == 400
    assert f'id="id_withdraw-{case.pk}-signed_by_error"' in response.content.decode()
    assert snapshot(case) == before
    post_action(client, case, "withdraw", signed_by="agent", wish="withdraw", reason="Letter")
    case = fresh(case)
    assert case.state == State.WITHDRAWN
    assert _withdrawal_reason(case).startswith(
        "Notification signed by another agent authorised by the complainant: the complainant "
        "withdraws the complaint (C&M Regs 2020 reg 38(1)(a))."
    )


def test_the_api_takes_the_same_answers(api_as, alice):
    case = _recorded(alice)
    client = api_as(alice)
    url = f"/api/cases/{case.reference}/actions/withdraw/"
    refused = client.post(url, {"reason": "Letter", "wish": "withdraw"}, format="json")
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["signed_by"]
    assert fresh(case).state == State.RECORDED
    body = {"reason": "Letter", "wish": "withdraw", "signed_by": "complainant"}
    assert client.post(url, body, format="json").status_code == 200
    assert fresh(case).state == State.WITHDRAWN
