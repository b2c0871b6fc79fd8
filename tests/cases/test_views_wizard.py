"""The new-case wizard: nothing is saved until the user confirms, then one service call."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import AllegationCategory, Case, CaseTransition, Standard
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory
from tests.cases.factories import OUTSIDE_NO, days_ago

pytestmark = pytest.mark.django_db


def start(client, case_type="complaint", **extra):
    data = {
        "case_type": case_type,
        "source": "public",
        "received_on": days_ago(2).isoformat(),
        "summary": "Rude officers at the front desk",
        **extra,
    }
    return client.post(reverse("cases:new"), data)


def add_allegation(client, *people, summary="Swore at me", about_force=False):
    for person in people:
        client.post(reverse("cases:new_allegations"), {"do": "pick", "person": person.pk, "q": ""})
    data = {
        "do": "add",
        "summary": summary,
        "category": AllegationCategory.objects.get(name="Individual behaviours").pk,
        "standards": [Standard.objects.get(name="Authority, respect and courtesy").pk],
    }
    if about_force:
        data["about_force"] = "on"
    return client.post(reverse("cases:new_allegations"), data)


def test_complaint_with_two_allegations_is_created_only_on_confirmation(client, alice, bob):
    one, two = PersonFactory(surname="Abara"), PersonFactory(surname="Lindqvist")
    client.force_login(alice)
    assert start(client, supervisor=bob.pk).url == reverse("cases:new_complainants")
    response = client.post(
        reverse("cases:new_complainants"), {"do": "add", "kind": "person", "name": "Sam Rivers"}
    )
    assert response.status_code == 302
    assert add_allegation(client, one).status_code == 302
    assert add_allegation(client, two, summary="Pushed me").status_code == 302
    assert not Case.objects.exists()  # still only a draft in the session
    check = client.get(reverse("cases:new_check"))
    html = check.content.decode()
    assert "Sam Rivers" in html and "Abara" in html and "Lindqvist" in html
    response = client.post(reverse("cases:new_check"))
    case = Case.objects.get()
    assert response.url == case.get_absolute_url()
    assert case.supervisor == bob and case.investigator == alice
    assert [a.subjects.get() for a in case.allegations.order_by("number")] == [one, two]
    assert case.complainants.get().name == "Sam Rivers"
    assert CaseTransition.objects.filter(case=case, name="create").count() == 1
    assert "case_draft" not in client.session


def test_subject_search_is_a_plain_get_form(client, alice):
    PersonFactory(surname="Featherstonehaugh", number="PC31337")
    client.force_login(alice)
    start(client, case_type="conduct", source="internal")
    for term in ("feather", "PC31337"):
        page = client.get(reverse("cases:new_allegations"), {"q": term})
        assert "Featherstonehaugh" in page.content.decode()


def test_errors_are_shown_beside_fields_and_in_the_summary(client, alice):
    client.force_login(alice)
    response = client.post(reverse("cases:new"), {"case_type": "", "summary": ""})
    html = response.content.decode()
    assert "There is a problem" in html and 'class="govuk-error-message"' in html
    response = start(client, received_on=days_ago(-2).isoformat())
    assert "cannot be in the future" in response.content.decode()
    start(client)
    response = client.post(reverse("cases:new_complainants"), {"do": "add", "kind": "person"})
    assert "Give the complainant" in response.content.decode()
    client.post(
        reverse("cases:new_complainants"), {"do": "add", "anonymous": "on", "kind": "person"}
    )
    response = client.post(
        reverse("cases:new_allegations"),
        {"do": "add", "summary": "x", "category": AllegationCategory.objects.first().pk},
    )
    assert "Add at least one person" in response.content.decode()


def test_complaint_without_complainant_cannot_reach_allegations(client, alice):
    client.force_login(alice)
    start(client)
    response = client.get(reverse("cases:new_allegations"))
    assert response.url == reverse("cases:new_complainants")


def test_confirming_without_allegations_is_refused(client, alice):
    client.force_login(alice)
    start(client, case_type="conduct", source="internal")
    response = client.post(reverse("cases:new_check"))
    assert response.status_code == 200
    assert "Add at least one allegation." in response.content.decode()
    assert not Case.objects.exists()


def test_removing_and_discarding_the_draft(client, alice):
    client.force_login(alice)
    start(client, case_type="conduct", source="internal")
    add_allegation(client, about_force=True)
    client.post(reverse("cases:new_allegations"), {"do": "remove", "index": "0"})
    assert client.session["case_draft"]["allegations"] == []
    client.post(reverse("cases:new_cancel"))
    assert "case_draft" not in client.session
    assert client.get(reverse("cases:new_check")).url == reverse("cases:new")


def test_roles_that_cannot_add_cases_get_403(client, eve):
    client.force_login(eve)
    assert client.get(reverse("cases:new")).status_code == 403


def _log_complaint(client, **extra) -> Case:
    start(client, **extra)
    client.post(
        reverse("cases:new_complainants"), {"do": "add", "kind": "person", "name": "Sam Rivers"}
    )
    add_allegation(client, PersonFactory())
    assert client.post(reverse("cases:new_check")).status_code == 302
    return Case.objects.latest("pk")


def test_the_recording_question_is_a_fieldset_with_a_legend(client, alice):
    client.force_login(alice)
    html = client.get(reverse("cases:new")).content.decode()
    legend = "For a complaint: does the complainant want it formally recorded?"
    fieldset = html[: html.index(legend)]
    assert fieldset.rindex('<fieldset class="govuk-fieldset"') > fieldset.rindex("</fieldset>")
    assert "<legend" in fieldset[fieldset.rindex("<fieldset") :]


def test_a_wish_noted_at_intake_is_kept_and_refuses_handling_outside(client, alice):
    client.force_login(alice)
    start(client, recording_wish="yes")
    check = client.get(reverse("cases:new_check")).content.decode()
    assert "Yes, they want it formally recorded" in check
    case = _log_complaint(client, recording_wish="yes")
    kept = {"answer": "yes", "on": days_ago(2).isoformat(), "channel": "intake"}
    assert case.handling_answers == {"recording_wish": kept}
    with pytest.raises(DomainError, match="recorded when the complaint was made on") as err:
        services.case_handle_outside_schedule_3(
            actor=alice, case=case, reason="Quick", answers=OUTSIDE_NO
        )
    assert "PRA 2002 Sch 3 para 2(6A)(a)" in err.value.message


def test_no_answer_at_intake_keeps_nothing_and_a_conduct_matter_takes_none(client, alice):
    client.force_login(alice)
    assert _log_complaint(client).handling_answers == {}
    start(client, case_type="conduct", source="internal", recording_wish="yes")
    add_allegation(client, PersonFactory())
    response = client.post(reverse("cases:new_check"))
    assert response.status_code == 200
    assert "Only a complaint is recorded at its complainant" in response.content.decode()
    assert Case.objects.count() == 1
