"""The deadlines page, the notifications page and the header badge."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from deadlines import services
from deadlines.models import DeadlineKind, Notification
from deadlines.sweep import alert_deadlines
from tests.accounts.factories import PersonFactory
from tests.deadlines.factories import DeadlineFactory

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = "/deadlines/"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2024, 3, 20, 10, tzinfo=datetime.UTC), tick=False):
        yield D(2024, 3, 20)


@pytest.fixture
def clocks(alice, dave, bob):
    """alice: one overdue, one due later; dave (team B): one due soon."""
    reg17 = DeadlineKind.objects.get(code="reg17_representations")
    hearing = DeadlineKind.objects.get(code="hearing_notice")
    return {
        "later": DeadlineFactory(kind=hearing, owner=alice, label="Later", due_date=D(2024, 4, 10)),
        "overdue": DeadlineFactory(kind=reg17, owner=alice, escalate_to=bob, label="Overdue one"),
        "dave": DeadlineFactory(kind=reg17, owner=dave, label="Dave's", due_date=D(2024, 3, 22)),
    }


def labels(response):
    return [deadline.label for deadline in response.context["page"]]


def test_mine_shows_my_deadlines_overdue_first(client, alice, clocks):
    client.force_login(alice)
    response = client.get(LIST)
    assert response.status_code == 200
    assert labels(response) == ["Overdue one", "Later"]
    html = response.content.decode()
    assert "Overdue" in html and f'href="{clocks["later"].url}"' in html


def test_a_supervisor_sees_what_escalates_to_them_and_the_whole_department(client, bob, clocks):
    client.force_login(bob)
    assert labels(client.get(LIST)) == []  # "Mine": only what bob owns (issue 22)
    assert labels(client.get(LIST, {"scope": "escalated"})) == ["Overdue one"]
    assert labels(client.get(LIST, {"scope": "team"})) == ["Overdue one", "Later"]
    assert labels(client.get(LIST, {"scope": "all"})) == ["Overdue one", "Dave's", "Later"]


def test_an_investigator_cannot_widen_to_all(client, alice, clocks):
    client.force_login(alice)
    response = client.get(LIST, {"scope": "all"})
    assert labels(response) == ["Overdue one", "Later"]  # invalid choice: back to mine
    assert 'value="all"' not in response.content.decode()


def test_filters_by_kind_status_and_overdue(client, alice, clocks):
    client.force_login(alice)
    assert labels(client.get(LIST, {"scope": "mine", "kind": "hearing_notice"})) == ["Later"]
    assert labels(client.get(LIST, {"scope": "mine", "overdue": "on"})) == ["Overdue one"]
    services.deadline_meet(kind="hearing_notice", target=clocks["later"].target)
    assert labels(client.get(LIST, {"scope": "mine", "status": "met"})) == ["Later"]
    assert labels(client.get(LIST, {"scope": "mine", "status": ""})) == ["Overdue one", "Later"]


def test_the_page_needs_the_permission(client, ada):
    client.force_login(ada)
    assert client.get(LIST).status_code == 403


def test_the_nav_shows_deadlines_to_investigators(client, alice):
    client.force_login(alice)
    nav = client.get(LIST).context["nav_items"]
    assert {"label": "Deadlines", "url": LIST, "current": True} in nav


def test_notifications_badge_page_and_mark_read(client, alice, bob, clocks):
    alert_deadlines()
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    badge = '<span class="moj-notification-badge">1<span class="govuk-visually-hidden"> unread'
    assert badge in html
    response = client.get(reverse("notifications:list"))
    assert [n.title for n in response.context["page"]] == [
        "Overdue: Representations after a regulation 17 notice – Overdue one"
    ]
    notification = Notification.objects.get(recipient=alice)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == clocks["overdue"].url
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "badge" not in client.get(LIST).content.decode()


def test_cannot_mark_someone_elses_notification(client, alice, bob, clocks):
    alert_deadlines()
    theirs = Notification.objects.get(recipient=bob)
    client.force_login(alice)
    response = client.post(reverse("notifications:read", args=[theirs.pk]), {"open": "1"})
    assert response.url == reverse("notifications:list")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_is_post_only(client, bob, clocks):
    alert_deadlines()
    client.force_login(bob)
    url = reverse("notifications:read_all")
    assert client.get(url).status_code == 405
    client.post(url)
    assert not Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()


def test_anonymous_users_are_sent_to_login(client, db):
    for url in (LIST, reverse("notifications:list")):
        assert client.get(url).url.startswith(reverse("login"))


def test_a_deadline_opened_for_a_target_links_to_it(client, alice):
    person = PersonFactory()
    services.deadline_open(
        kind="reg17_representations", target=person, trigger_date=D(2024, 3, 18), owner=alice
    )
    client.force_login(alice)
    assert f'href="{person.get_absolute_url()}"' in client.get(LIST).content.decode()


def test_the_list_page_takes_a_fixed_number_of_queries(
    client, bob, clocks, django_assert_max_num_queries
):
    client.force_login(bob)
    client.get(LIST, {"scope": "all"})  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(LIST, {"scope": "all"})
    DeadlineFactory.create_batch(20, owner=bob)
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST, {"scope": "all"})
    assert len(response.context["page"]) == 23


def test_an_administrator_adds_an_extra_non_working_day_in_the_admin(client, ada):
    from deadlines.calendar import is_working_day

    client.force_login(ada)
    response = client.post(
        reverse("admin:deadlines_nonworkingday_add"),
        {"date": "2024-03-21", "description": "Force systems outage"},
    )
    assert response.status_code == 302
    assert not is_working_day(D(2024, 3, 21))
    assert client.get(reverse("admin:deadlines_deadline_changelist")).status_code == 403


def test_revetting_deadlines_are_hidden_from_case_roles(carol):
    from deadlines.selectors import deadline_list

    person = PersonFactory()
    services.deadline_open(
        kind="revetting_due",
        target=person,
        trigger_date=datetime.date(2026, 1, 1),
        due_date=datetime.date(2026, 6, 1),
        label="Re-vetting: PC1",
    )
    assert not deadline_list(user=carol, scope="all").filter(kind__code="revetting_due").exists()
    carol.is_superuser = True  # holds every permission, vetting's included
    carol.save()
    carol = type(carol).objects.get(pk=carol.pk)
    assert deadline_list(user=carol, scope="all").filter(kind__code="revetting_due").exists()
