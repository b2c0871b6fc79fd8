"""A lean request path (issue 21 item 2): a signed-in page costs the session row and the audit
context only; the user, roles, permissions, verified device and unread count come from the
session's cache entry, and every change to them is seen on the next page."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from deadlines.models import Notification
from deadlines.services import notifications_mark_all_read

pytestmark = pytest.mark.django_db
PAGE = reverse("search")  # no term: nothing but the layout, the header and its badge
# The session row; on PostgreSQL also the audit context set and cleared (audit.context):
# the triggers read it from the database session, SQLite's from Python.
FIXED_QUERIES = 3 if connection.vendor == "postgresql" else 1


def nav(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


def test_a_signed_in_page_costs_the_session_and_the_audit_context_only(
    client, alice, django_assert_num_queries
):
    client.force_login(alice)
    client.get(PAGE)  # builds the session's cache entry
    with django_assert_num_queries(FIXED_QUERIES):
        response = client.get(PAGE)
    assert response.status_code == 200
    assert "Cases" in nav(response)
    assert response.context["unread_notifications"] == 0
    assert response.context["user"].is_verified()


def test_a_new_permission_for_a_role_shows_on_the_next_page(client, alice):
    client.force_login(alice)
    assert "Statistics" not in nav(client.get(PAGE))
    group = Group.objects.get(name="Investigator")
    statistics = Permission.objects.get(codename="view_statistics")
    group.permissions.add(statistics)
    assert "Statistics" in nav(client.get(PAGE))
    group.permissions.remove(statistics)
    assert "Statistics" not in nav(client.get(PAGE))


def test_a_new_group_membership_shows_on_the_next_page(client, alice):
    client.force_login(alice)
    client.get(PAGE)
    analysts = Group.objects.get(name="Analyst / auditor")
    alice.groups.add(analysts)
    assert "Statistics" in nav(client.get(PAGE))
    analysts.user_set.remove(alice)
    assert "Statistics" not in nav(client.get(PAGE))


def test_a_deactivated_user_is_signed_out_at_once(client, alice):
    client.force_login(alice)
    assert client.get(PAGE).status_code == 200
    alice.is_active = False
    alice.save()
    assert client.get(PAGE).status_code == 302


def test_a_password_change_elsewhere_ends_this_session(client, alice):
    client.force_login(alice)
    assert client.get(PAGE).status_code == 200
    alice.set_password("a-completely-new-passphrase")
    alice.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_removed_authenticator_unverifies_the_session(client, alice):
    client.force_login(alice)
    assert client.get(PAGE).status_code == 200
    TOTPDevice.objects.filter(user=alice).delete()
    response = client.get(PAGE)
    assert response.status_code == 302 and "2fa" in response["Location"]


def test_the_unread_count_follows_new_read_and_bulk_notifications(client, alice):
    client.force_login(alice)
    assert client.get(PAGE).context["unread_notifications"] == 0
    Notification.objects.create(recipient=alice, title="One")
    assert client.get(PAGE).context["unread_notifications"] == 1
    Notification.objects.bulk_create(
        [Notification(recipient=alice, title="Two"), Notification(recipient=alice, title="Three")]
    )
    assert client.get(PAGE).context["unread_notifications"] == 3
    notifications_mark_all_read(user=alice)
    assert client.get(PAGE).context["unread_notifications"] == 0
    Notification.objects.filter(recipient=alice).delete()
    Notification.objects.create(recipient=alice, title="Four")
    assert client.get(PAGE).context["unread_notifications"] == 1


def test_sessions_do_not_share_an_entry(client, alice, bob):
    other = Client()
    client.force_login(alice)
    other.force_login(bob)
    assert client.get(PAGE).context["user"] == alice
    assert other.get(PAGE).context["user"] == bob
    assert client.get(PAGE).context["user"] == alice


def test_an_unreachable_cache_only_means_no_caching(client, alice, monkeypatch):
    client.force_login(alice)
    client.get(PAGE)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for method in ("get", "get_many", "set", "add", "set_many"):
        monkeypatch.setattr(cache, method, down)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["user"] == alice and "Cases" in nav(response)
