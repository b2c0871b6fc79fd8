"""Issue 18 items 3 and 4: handling outside Schedule 3 is refused, with the reason, where the law
requires Schedule 3 (PRA 2002 Sch 3 para 2(6A)/(6B)); a case handled outside it can be brought
into it keeping its dates; conduct matters are recorded under Schedule 3 only when recordable
(PRA 2002 Sch 3 para 11; C&M Regs 2020 reg 7(1)), the others are handled under the Conduct
Regulations and kept out of the Schedule 3 figures. Service, page and API.

The complainant's wish to have the complaint recorded (para 2(6A)(a): "at any time the
complainant indicates a wish for the complaint to be recorded") is kept on the case, whether
given on the public form (tests/correspondence/test_complaint_form.py), to staff logging it
(tests/cases/test_views_wizard.py) or later; a yes answers that question whatever is ticked."""

import html
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry, AuditKind
from cases import services
from cases.models import Case, CaseType, Handling, RecordableGround, State
from cases.services import RecordingWish
from cases.services.outside import OUTSIDE_QUESTIONS, case_handle_outside_schedule_3_refusal
from psd.domain import DomainError
from psd.rules import REGISTER
from stats.periods import Scope, financial_year
from stats.selectors import statistics_tables
from tests.cases.factories import OUTSIDE_NO, complaint, conduct_matter, days_ago
from tests.cases.helpers import action_url, api_action_url, post_action
from tests.cases.routes import deadline, fresh, snapshot

pytestmark = pytest.mark.django_db


def _unchanged(case, before, answers=None):
    assert snapshot(case) == before
    assert fresh(case).handling_answers == (answers or {})


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


# --- Item 3: the complainant's wish to have it recorded (para 2(6A)(a)) ---------------------


def _wished(alice, answer="yes", channel="public_form"):
    """A complaint received 30 days ago whose complainant answered ``answer`` that day."""
    return complaint(alice, recording_wish=RecordingWish(answer, days_ago(30), channel))


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _asked_on_the_form() -> str:
    return (
        "The complaint must be recorded and handled under Schedule 3 (PRA 2002 Sch 3 para "
        "2(6A)(a)): the complainant asked for it to be recorded on the public complaint form "
        f"on {_long(days_ago(30))}."
    )


def test_a_yes_on_the_case_refuses_handling_outside_whatever_is_ticked(alice):
    case = _wished(alice)
    answers = fresh(case).handling_answers
    kept = {"answer": "yes", "on": days_ago(30).isoformat(), "channel": "public_form"}
    assert answers == {"recording_wish": kept}
    assert case_handle_outside_schedule_3_refusal(actor=alice, case=case) == _asked_on_the_form()
    before, audits = snapshot(case), AuditEntry.objects.count()
    with pytest.raises(DomainError) as err:
        services.case_handle_outside_schedule_3(
            actor=alice, case=case, reason="Quick fix", answers=OUTSIDE_NO
        )
    assert err.value.message == _asked_on_the_form()
    _unchanged(case, before, answers)
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("answer", ["no", "unsure"])
def test_a_no_or_unsure_leaves_the_questions_to_decide(alice, answer):
    case = _wished(alice, answer)
    with pytest.raises(DomainError) as err:
        services.case_handle_outside_schedule_3(
            actor=alice,
            case=case,
            reason="Quick fix",
            answers=OUTSIDE_NO | {"criminal_or_disciplinary": True},
        )
    assert err.value.field == "criminal_or_disciplinary"
    with pytest.raises(DomainError) as err:
        services.case_handle_outside_schedule_3(
            actor=alice,
            case=case,
            reason="Quick fix",
            answers=OUTSIDE_NO | {"complainant_wants_recorded": True},
        )
    assert err.value.field == "complainant_wants_recorded"  # they may have asked since
    services.case_handle_outside_schedule_3(
        actor=alice, case=case, reason="Rude remark", answers=OUTSIDE_NO
    )
    case = fresh(case)
    assert case.state == State.OUTSIDE_SCH3
    assert case.handling_answers["recording_wish"]["answer"] == answer
    assert case.handling_answers["outside_schedule_3"] == OUTSIDE_NO


def test_the_page_offers_recording_not_handling_outside_and_refuses_a_forced_post(client, alice):
    case = _wished(alice)
    client.force_login(alice)
    page = client.get(case.get_absolute_url()).content.decode()
    said = f"asked for it to be recorded on the public complaint form on {_long(days_ago(30))}."
    assert f"The complainant {said}" in page  # the case summary
    assert action_url(case, "record") in page
    assert action_url(case, "handle_outside") not in page
    assert f"handle_outside-{case.pk}-complainant_wants_recorded" not in page
    before = snapshot(case)
    audits = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    answers = dict.fromkeys(OUTSIDE_QUESTIONS, "no")
    response = post_action(client, case, "handle_outside", reason="Quick", **answers)
    assert response.status_code == 409  # not possible now: the case page again
    _unchanged(case, before, fresh(case).handling_answers)
    assert not AuditEntry.objects.filter(pk__gt=audits).exclude(kind=AuditKind.READ).exists()
    form_page = reverse("cases:action_form", args=[case.reference, "handle_outside", 0])
    said = client.get(form_page, follow=True).content.decode()  # back to the case, saying why
    assert html.escape(_asked_on_the_form(), quote=False) in said


def test_a_no_or_unsure_is_shown_with_the_question(client, alice):
    case = _wished(alice, "unsure", "intake")
    client.force_login(alice)
    page = client.get(case.get_absolute_url()).content.decode()
    assert action_url(case, "handle_outside") in page
    field = f"handle_outside-{case.pk}-complainant_wants_recorded"
    assert f'id="id_{field}_0"' in page
    hint = page[page.index(f'id="id_{field}_helptext"') :][:400]
    assert "The complainant was not sure about having it formally recorded" in hint


def test_the_api_refuses_with_the_reason(api_as, alice):
    case = _wished(alice)
    listed = api_as(alice).get(f"/api/cases/{case.reference}/actions/").json()
    assert "handle_outside" not in {action["name"] for action in listed}
    body = dict.fromkeys(OUTSIDE_QUESTIONS, "no") | {"reason": "Quick"}
    response = api_as(alice).post(api_action_url(case, "handle_outside"), body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"“Handle outside Schedule 3” is not possible at this stage. {_asked_on_the_form()}"
    )
    assert fresh(case).state == State.RECEIVED


def test_a_wish_indicated_later_is_noted_and_then_refuses_handling_outside(alice):
    case = complaint(alice)
    services.case_note_recording_wish(
        actor=alice, case=case, indicated_on=days_ago(2), channel="letter"
    )
    case = fresh(case)
    assert RecordingWish.of(case) == RecordingWish("yes", days_ago(2), "letter")
    assert case.transitions.filter(name="recording_wish").count() == 1
    with pytest.raises(DomainError, match=f"recorded by letter on {_long(days_ago(2))}"):
        services.case_handle_outside_schedule_3(
            actor=alice, case=case, reason="Quick", answers=OUTSIDE_NO
        )
    with pytest.raises(DomainError, match="Already noted"):
        services.case_note_recording_wish(
            actor=alice, case=case, indicated_on=days_ago(1), channel="phone"
        )
    services.case_record(actor=alice, case=case)
    assert fresh(case).state == State.RECORDED


def test_a_wish_after_handling_outside_means_it_is_recorded_not_resolved(alice):
    case = complaint(alice)
    services.case_handle_outside_schedule_3(
        actor=alice, case=case, reason="Rude remark", answers=OUTSIDE_NO
    )
    services.case_note_recording_wish(
        actor=alice, case=fresh(case), indicated_on=days_ago(0), channel="phone"
    )
    before = snapshot(case)
    with pytest.raises(DomainError, match=r"para 2\(6A\)\(a\)"):
        services.case_resolve_outside(actor=alice, case=fresh(case), reason="Apologised")
    assert snapshot(case) == before
    services.case_record(actor=alice, case=fresh(case))
    assert fresh(case).state == State.RECORDED


def test_a_later_wish_is_refused_when_it_cannot_be_kept(alice):
    case = complaint(alice)
    for kwargs, field in [
        ({"indicated_on": days_ago(31), "channel": "letter"}, "indicated_on"),
        ({"indicated_on": days_ago(0), "channel": "public_form"}, "channel"),
    ]:
        with pytest.raises(DomainError) as err:
            services.case_note_recording_wish(actor=alice, case=case, **kwargs)
        assert err.value.field == field
    services.case_record(actor=alice, case=case)
    with pytest.raises(DomainError, match="no longer waiting"):
        services.case_note_recording_wish(
            actor=alice, case=fresh(case), indicated_on=days_ago(0), channel="letter"
        )
    with pytest.raises(DomainError, match="Only a complaint") as err:
        conduct_matter(alice, recording_wish=RecordingWish("yes", days_ago(30), "intake"))
    assert err.value.field == "recording_wish"


def test_page_and_api_note_a_later_wish(client, api_as, alice):
    case, other = complaint(alice), complaint(alice)
    client.force_login(alice)
    response = post_action(
        client, case, "recording_wish", indicated_on=days_ago(1).isoformat(), channel="email"
    )
    assert response.status_code == 302
    assert RecordingWish.of(fresh(case)) == RecordingWish("yes", days_ago(1), "email")
    page = client.get(case.get_absolute_url()).content.decode()
    assert f"asked for it to be recorded by email on {_long(days_ago(1))}" in page
    response = api_as(alice).post(
        api_action_url(other, "recording_wish"),
        {"indicated_on": days_ago(0).isoformat(), "channel": "in_person"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert RecordingWish.of(fresh(other)).channel == "in_person"


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
    wished = complaint(alice)
    services.case_handle_outside_schedule_3(
        actor=alice, case=wished, reason="Quick", answers=OUTSIDE_NO
    )
    kept = RecordingWish("yes", days_ago(1), "public_form").as_json()
    Case.objects.filter(pk=wished.pk).update(handling_answers={"recording_wish": kept})
    out = StringIO()
    call_command("handling_review", stdout=out)
    text = out.getvalue()
    assert f"{old.reference}: conduct matter recorded under Schedule 3" in text
    assert f"{outside.reference}: handled outside Schedule 3 without answers" in text
    assert f"{wished.reference}: handled outside Schedule 3 although the complainant" in text
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
        "case_note_recording_wish_refusal": "PRA 2002 Sch 3 para 2(6A)(a)",
        "case_resolve_outside_refusal": "PRA 2002 Sch 3 para 2(6A)(a)",
    }
    for name, citation in expected.items():
        assert REGISTER[name].rule.citation == citation
