"""Each role reaches its own pages and not the others'; anonymous users go to the login page."""

import pytest
from django.urls import reverse

from psd.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_its_own_dashboard_only(client, role_users, role):
    client.force_login(role_users[role])
    for other in Role:
        response = client.get(reverse("accounts:dashboard", args=[other.value]))
        expected = 200 if other == role else 403
        assert response.status_code == expected, (role, other)


@pytest.mark.parametrize("role", list(Role))
def test_home_sends_each_role_to_its_dashboard(client, role_users, role):
    client.force_login(role_users[role])
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard", args=[role.value])


def test_unknown_dashboard_is_404(client, alice):
    client.force_login(alice)
    assert client.get("/dashboard/chief/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/", "/dashboard/investigator/", "/personnel/", "/personnel/new/", "/personnel/1/"],
)
def test_anonymous_users_are_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_public_and_signs_in(client, alice):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    assert client.get("/").url == reverse("accounts:dashboard", args=["investigator"])


def test_wrong_password_shows_an_error_not_a_500(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_user_without_role_is_told_so(client, db):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(username="norole"))
    response = client.get("/")
    assert response.status_code == 200
    assert "No role assigned" in response.content.decode()


def test_navigation_shows_only_what_the_role_may_open(client, alice):
    client.force_login(alice)
    html = client.get(reverse("accounts:dashboard", args=["investigator"])).content.decode()
    assert 'href="/personnel/"' in html
    assert 'href="/admin/"' not in html


def test_unknown_page_renders_friendly_404(client, alice):
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
