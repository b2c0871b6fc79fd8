"""The personnel register: search, create, edit and dated status history."""

import datetime

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Person, PersonStatus, PersonStatusChange, Rank, RoleType
from accounts.selectors import person_search
from accounts.signals import person_status_changed
from psd.domain import DomainError
from tests.accounts.factories import ForceFactory, PersonFactory, StaffPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return [
        PersonFactory(forename="Jo", surname="Smith", number="PC1001"),
        PersonFactory(forename="Sam", surname="Smithers", number="PC1002"),
        PersonFactory(forename="Ann", surname="Jones", number="PS2001"),
        StaffPersonFactory(forename="Mark", surname="Asmith", number="S9001"),
    ]


def test_search_finds_by_surname_prefix_case_insensitively(people):
    found = {p.surname for p in person_search(query="smi")}
    assert found == {"Smith", "Smithers"}


def test_search_finds_by_number_prefix(people):
    assert [p.surname for p in person_search(query="ps2")] == ["Jones"]
    assert [p.surname for p in person_search(query="S9001")] == ["Asmith"]


def test_search_with_forename_and_surname(people):
    assert [p.number for p in person_search(query="sam smi")] == ["PC1002"]


def test_empty_search_lists_everyone(people):
    assert person_search(query="").count() == 4


def test_personnel_list_page_searches(client, alice, people):
    client.force_login(alice)
    html = client.get(reverse("accounts:person_list"), {"q": "smith"}).content.decode()
    # By staff number: the signed-in user's own (random) name is in the page header.
    assert "PC1002" in html and "PS2001" not in html


def test_person_page_shows_status_history(client, alice, ada, people):
    person = people[0]
    services.person_set_status(
        actor=ada,
        person=person,
        status=PersonStatus.SUSPENDED,
        effective_date=datetime.date(2026, 1, 5),
        reason="Suspended pending investigation",
    )
    client.force_login(alice)
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Suspended pending investigation" in html


def test_missing_person_is_404(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:person_detail", args=[999999])).status_code == 404


def form_data(**overrides):
    force = ForceFactory()
    data = {
        "force": force.pk,
        "forename": "Kim",
        "surname": "Lee",
        "date_of_birth": "1990-02-03",
        "number": "PC7777",
        "role_type": RoleType.OFFICER,
        "rank": Rank.objects.get(name="Constable").pk,
    }
    data.update(overrides)
    return data


def test_administrator_adds_a_person_with_first_status_row(client, ada):
    client.force_login(ada)
    response = client.post(reverse("accounts:person_create"), form_data())
    person = Person.objects.get(number="PC7777")
    assert response.status_code == 302 and response.url == person.get_absolute_url()
    assert person.status_history.get().status == PersonStatus.SERVING


def test_investigator_cannot_add_people(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:person_create")).status_code == 403
    assert client.post(reverse("accounts:person_create"), form_data()).status_code == 403
    assert not Person.objects.filter(number="PC7777").exists()


def test_duplicate_number_is_a_form_error(client, ada):
    PersonFactory(number="PC7777")
    client.force_login(ada)
    response = client.post(reverse("accounts:person_create"), form_data(number="pc7777"))
    assert response.status_code == 200
    assert "already used" in str(response.context["form"].errors["number"])
    assert Person.objects.filter(number__iexact="PC7777").count() == 1


def test_same_number_allowed_in_another_force(ada):
    PersonFactory(number="PC7777")
    other = ForceFactory(code="OT", name="Other Police")
    person = services.person_create(
        actor=ada,
        force=other,
        forename="A",
        surname="B",
        number="PC7777",
        role_type=RoleType.OFFICER,
    )
    assert person.pk


@pytest.mark.parametrize("bad_date", ["2026-02-30", "yesterday", "31/31/1990"])
def test_invalid_date_of_birth_is_a_field_error(client, ada, bad_date):
    client.force_login(ada)
    response = client.post(reverse("accounts:person_create"), form_data(date_of_birth=bad_date))
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors


def test_future_date_of_birth_refused(client, ada):
    client.force_login(ada)
    response = client.post(reverse("accounts:person_create"), form_data(date_of_birth="2999-01-01"))
    assert response.status_code == 200
    assert "in the past" in str(response.context["form"].errors["date_of_birth"])


def test_police_staff_cannot_hold_a_rank(ada):
    with pytest.raises(DomainError, match="holds no police rank"):
        services.person_create(
            actor=ada,
            force=ForceFactory(),
            forename="A",
            surname="B",
            number="S1",
            role_type=RoleType.STAFF,
            rank=Rank.objects.get(name="Sergeant"),
        )


def test_status_change_is_dated_and_signalled(ada):
    person = PersonFactory()
    received = []
    handler = lambda **kw: received.append(kw)  # noqa: E731
    person_status_changed.connect(handler)
    try:
        change = services.person_set_status(
            actor=ada,
            person=person,
            status=PersonStatus.RESIGNED,
            effective_date=datetime.date(2026, 3, 1),
            reason="Resigned",
        )
    finally:
        person_status_changed.disconnect(handler)
    person.refresh_from_db()
    assert person.status == PersonStatus.RESIGNED
    assert change.effective_date == datetime.date(2026, 3, 1)
    assert received[0]["previous_status"] == PersonStatus.SERVING
    assert PersonStatusChange.objects.filter(person=person).count() == 1


def test_status_form_rejects_future_date_and_same_status(client, ada):
    person = PersonFactory()
    client.force_login(ada)
    url = reverse("accounts:person_status", args=[person.pk])
    response = client.post(
        url, {"status": "retired", "effective_date": "2999-01-01", "reason": "x"}
    )
    assert "future" in str(response.context["form"].errors)
    response = client.post(
        url, {"status": "serving", "effective_date": "2026-01-01", "reason": "x"}
    )
    assert "already serving" in str(response.context["form"].errors)


def test_edit_keeps_status_and_validates(client, ada):
    person = PersonFactory(number="PC1")
    PersonFactory(number="PC2")
    client.force_login(ada)
    data = form_data(number="PC2", force=person.force_id)
    response = client.post(reverse("accounts:person_update", args=[person.pk]), data)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.number == "PC1"
