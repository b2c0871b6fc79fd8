"""Issue 18 items 3 and 4: handling outside Schedule 3 is refused, with the reason, where the law
requires Schedule 3 (PRA 2002 Sch 3 para 2(6A)/(6B)); a case handled outside it can be brought
into it keeping its dates; conduct matters are recorded under Schedule 3 only when recordable
(PRA 2002 Sch 3 para 11; C&M Regs 2020 reg 7(1)), the others are handled under the Conduct
Regulations and kept out of the Schedule 3 figures. Service, page and API."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from cases import services
from cases.models import Case, CaseType, Handling, RecordableGround, State
from cases.services.intake import OUTSIDE_QUESTIONS
from psd.domain import DomainError
from psd.rules import REGISTER
from stats.periods import Scope, financial_year
from stats.selectors import statistics_tables
from tests.cases.factories import OUTSIDE_NO, complaint, conduct_matter
from tests.cases.helpers import api_action_url, post_action
from tests.cases.routes import deadline, fresh, snapshot

pytestmark = pytest.mark.django_db


def _unchanged(case, before):
    assert snapshot(case) == before
    assert fresh(case).handling_answers == {}


# --- Item 3: outside Schedule 3 -----------------------------------------------------------


@pytest.mark.parametrize("question", list(OUTSIDE_QUESTIONS))
def test_a_yes_to_any_question_refuses_handling_outside_and_names_it(alice, question):
    case = complaint(alice)
    before, audits = snapshot(case), AuditEntry.objects.count()
    with pytest.raises(DomainError, match="must be recorded and handled under Schedule 3") as err:
        services.case_handle_outside_schedule_3(
            actor=alice, case=case, reason="Quick fix", answers=OUTSIDE_NO | {question: True}
        )
    assert err.value.field == question
    assert OUTSIDE_QUESTIONS[question][1] in err.value.message
    _unchanged(case, before)
    assert AuditEntry.objects.count() == audits


def test_every_question_must_be_answered(alice):
    case = complaint(alice)
    before = snapshot(case)
    answers = dict(OUTSIDE_NO)
    del answers["article_2_or_3"]
    with pytest.raises(DomainError, match="Answer the question") as err:
        services.case_handle_outside_schedule_3(
            actor=alice, case=case, reason="Quick fix", answers=answers
        )
    assert err.value.field == "article_2_or_3"
    _unchanged(case, before)


def test_all_no_allows_handling_outside_and_keeps_the_answers(alice):
    case = complaint(alice)
    services.case_handle_outside_schedule_3(
        actor=alice, case=case, reason="Rude remark", answers=OUTSIDE_NO
    )
    case = fresh(case)
    assert case.state == State.OUTSIDE_SCH3 and case.handling == Handling.OUTSIDE_SCHEDULE_3
    assert case.handling_answers["outside_schedule_3"] == OUTSIDE_NO


def test_brought_into_schedule_3_later_it_keeps_its_dates(alice):
    case = complaint(alice, received=40)
    received_on = case.received_on
    services.case_handle_outside_schedule_3(
        actor=alice, case=case, reason="Rude remark", answers=OUTSIDE_NO
    )
    # The complainant now wants it recorded (para 2(6A)(a): "at any time").
    services.case_record(actor=alice, case=fresh(case), reason="Complainant asked")
    case = fresh(case)
    assert case.state == State.RECORDED and case.handling == Handling.SCHEDULE_3
    assert case.received_on == received_on
    assert case.recorded_on == timezone.localdate()
    # The 12-month clock runs from when the complaint was made, not from the recording.
    assert deadline(case, "twelve_month_report").trigger_date == received_on


def test_page_refuses_with_the_reason_and_changes_nothing(client, alice):
    case = complaint(alice)
    before = snapshot(case)
    client.force_login(alice)
    answers = dict.fromkeys(OUTSIDE_QUESTIONS, "no") | {"criminal_or_disciplinary": "yes"}
    response = post_action(client, case, "handle_outside", reason="Quick", **answers)
    assert response.status_code == 400
    assert "justify disciplinary proceedings" in response.content.decode()
    _unchanged(case, before)
    answers["criminal_or_disciplinary"] = "no"
    response = post_action(client, case, "handle_outside", reason="Quick", **answers)
    assert response.status_code == 302
    assert fresh(case).state == State.OUTSIDE_SCH3


def test_api_takes_the_answers_as_fields(api_as, alice):
    case = complaint(alice)
    client = api_as(alice)
    listed = {a["name"]: a for a in client.get(f"/api/cases/{case.reference}/actions/").json()}
    fields = {f["name"] for f in listed["handle_outside"]["fields"]}
    assert set(OUTSIDE_QUESTIONS) <= fields
    body = dict.fromkeys(OUTSIDE_QUESTIONS, "no") | {"reason": "Quick"}
    response = client.post(
        api_action_url(case, "handle_outside"), {"reason": "Quick"}, format="json"
    )
    assert response.status_code == 400
    assert set(OUTSIDE_QUESTIONS) <= set(response.json()["errors"])
    response = client.post(
        api_action_url(case, "handle_outside"),
        body | {"complainant_wants_recorded": "yes"},
        format="json",
    )
    assert response.status_code == 400
    assert fresh(case).state == State.RECEIVED
    response = client.post(api_action_url(case, "handle_outside"), body, format="json")
    assert response.status_code == 200, response.json()
    assert fresh(case).state == State.OUTSIDE_SCH3


# --- Item 4: conduct matters ----------------------------------------------------------------


def test_a_conduct_matter_is_not_recorded_without_a_ground(alice):
    case = conduct_matter(alice)
    before = snapshot(case)
    with pytest.raises(DomainError, match="recordable") as err:
        services.case_record(actor=alice, case=case)
    assert err.value.field == "recordable_grounds"
    _unchanged(case, before)


def test_a_recordable_conduct_matter_is_recorded_under_schedule_3_for_referral(alice):
    case = conduct_matter(alice)
    services.case_record(
        actor=alice, case=case, recordable_grounds=[RecordableGround.SERIOUS_CORRUPTION]
    )
    case = fresh(case)
    assert case.state == State.RECORDED and case.handling == Handling.SCHEDULE_3
    assert case.case_type == CaseType.RECORDABLE_CONDUCT_MATTER
    assert case.handling_answers["recordable_grounds"] == ["serious_corruption"]
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    assert fresh(case).state == State.REFERRAL_ASSESSMENT


def test_a_complaint_takes_no_conduct_grounds(alice):
    case = complaint(alice)
    with pytest.raises(DomainError, match="conduct matters only"):
        services.case_record(actor=alice, case=case, recordable_grounds=["gravity"])
    assert fresh(case).state == State.RECEIVED


def test_a_non_recordable_conduct_matter_goes_to_the_conduct_regulations(alice):
    case = conduct_matter(alice)
    services.case_handle_under_conduct_regulations(
        actor=alice, case=case, reason="Minor data misuse; no reg 7(1) description"
    )
    case = fresh(case)
    assert case.state == State.HANDLING_DECIDED
    assert case.handling == Handling.CONDUCT_REGULATIONS
    assert case.recorded_on is None and case.case_type == CaseType.CONDUCT_MATTER
    # No referral assessment; the investigation (CR 2020 Part 3) starts directly.
    with pytest.raises(DomainError):
        services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="x")
    services.case_start_investigation(actor=alice, case=case)
    assert fresh(case).state == State.INVESTIGATION
    assert deadline(case, "twelve_month_report").trigger_date == case.received_on


def test_only_a_conduct_matter_goes_to_the_conduct_regulations_unrecorded(alice):
    case = complaint(alice)
    before = snapshot(case)
    with pytest.raises(DomainError, match="not recordable"):
        services.case_handle_under_conduct_regulations(actor=alice, case=case, reason="x")
    _unchanged(case, before)


def test_conduct_regulations_cases_are_not_in_the_schedule_3_figures(alice):
    recorded = complaint(alice)
    services.case_record(actor=alice, case=recorded)
    internal = conduct_matter(alice)
    services.case_handle_under_conduct_regulations(actor=alice, case=internal, reason="Minor")
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    figures = statistics_tables(period=financial_year(year), scope=Scope())["recorded"]
    assert figures.total[1] == 1  # the complaint only


def test_page_and_api_offer_the_conduct_route(client, api_as, alice):
    case = conduct_matter(alice)
    client.force_login(alice)
    response = post_action(client, case, "record", recorded_on=case.received_on.isoformat())
    assert response.status_code == 400 and "recordable" in response.content.decode()
    assert fresh(case).state == State.RECEIVED
    response = post_action(
        client,
        case,
        "record",
        recorded_on=case.received_on.isoformat(),
        recordable_grounds=["gravity"],
    )
    assert response.status_code == 302
    assert fresh(case).case_type == CaseType.RECORDABLE_CONDUCT_MATTER
    api = api_as(alice)
    third = conduct_matter(alice)
    response = api.post(
        api_action_url(third, "record"),
        {"recorded_on": third.received_on.isoformat(), "recordable_grounds": ["referral"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert fresh(third).handling_answers["recordable_grounds"] == ["referral"]
    other = conduct_matter(alice)
    response = api.post(
        api_action_url(other, "handle_under_conduct_regulations"),
        {"reason": "Minor"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert Case.objects.get(pk=other.pk).handling == Handling.CONDUCT_REGULATIONS


def test_stored_cases_the_rules_would_refuse_are_listed_not_changed(alice):
    old = conduct_matter(alice)
    services.case_record(actor=alice, case=old, recordable_grounds=["gravity"])
    Case.objects.filter(pk=old.pk).update(handling_answers={})  # as stored before the rule
    outside = complaint(alice)
    services.case_handle_outside_schedule_3(
        actor=alice, case=outside, reason="Quick", answers=OUTSIDE_NO
    )
    Case.objects.filter(pk=outside.pk).update(handling_answers={})
    out = StringIO()
    call_command("handling_review", stdout=out)
    text = out.getvalue()
    assert f"{old.reference}: conduct matter recorded under Schedule 3" in text
    assert f"{outside.reference}: handled outside Schedule 3 without answers" in text
    assert fresh(old).state == State.RECORDED and fresh(outside).state == State.OUTSIDE_SCH3


def test_the_register_lists_these_rules_with_their_citations():
    expected = {
        "outside_schedule_3_answers_refusal": "PRA 2002 Sch 3 para 2(6A), (6B), (6C)",
        "recordable_grounds_refusal": (
            "PRA 2002 Sch 3 para 11(2)(c), (3), (3A); C&M Regs 2020 reg 7(1)"
        ),
        "case_handle_under_conduct_regulations_refusal": (
            "PRA 2002 Sch 3 para 11(3B)-(3D); C&M Regs 2020 reg 7"
        ),
        "case_record_refusal": "PRA 2002 Sch 3 para 2(6A)",
    }
    for name, citation in expected.items():
        assert REGISTER[name].rule.citation == citation
