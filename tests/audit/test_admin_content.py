"""Issue 20 item 2: the administrator reads no case, complainant, vetting or report content on
/audit/ or in the admin; the auditor reads the trail's content."""

import re

import pytest
from django.urls import reverse

from audit.labels import table_label
from cases.services.notes import case_add_note
from deadlines.models import Notification, NotificationKind
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db

NOTE = "Internal working note about the subject"


@pytest.fixture
def noted_case(alice, bob):
    case = complaint(alice, PersonFactory(surname="Okafor"), supervisor=bob)
    case_add_note(actor=alice, case=case, text=NOTE)
    return case


CONTENT_QUERIES = [
    {"table": "cases_casenote"},
    {"table": "cases_complainant"},
    {"table": "vetting_vettingapplication"},
    {"table": "reporting_report"},
    {"table": "accounts_person"},
    {"case": "PSD-2026-000001"},
    {"person": "1"},
    {"label": "Okafor"},
]


@pytest.mark.parametrize("query", CONTENT_QUERIES, ids=lambda q: "=".join(next(iter(q.items()))))
def test_the_administrator_is_refused_content_searches(client, ada, noted_case, query):
    client.force_login(ada)
    assert client.get(reverse("audit:search"), query).status_code == 403


def test_the_administrator_sees_administration_metadata_without_values(
    client, ada, alice, noted_case
):
    client.force_login(ada)
    response = client.get(reverse("audit:search"))
    assert response.status_code == 200
    page = response.content.decode()
    assert NOTE not in page and "Okafor" not in page and noted_case.reference not in page
    tables = {entry.table_name for entry, _ in response.context["entries"]}
    assert tables and tables <= {"accounts_user", "accounts_user_groups", "accounts_team", ""}
    assert all(changes == [] for _, changes in response.context["entries"])
    assert f"accounts_user:{alice.pk}" in page  # which account changed (not its values)
    form_fields = response.context["form"].fields
    assert "case" not in form_fields and "person" not in form_fields and "label" not in form_fields


def test_the_auditor_reads_note_text_on_the_trail(client, eve, noted_case):
    client.force_login(eve)
    response = client.get(reverse("audit:search"), {"table": "cases_casenote"})
    assert response.status_code == 200
    assert NOTE in response.content.decode()


def test_deadline_and_notification_changelists_are_closed_to_the_administrator(
    client, ada, alice, noted_case
):
    Notification.objects.create(
        recipient=alice, kind=NotificationKind.OTHER, title=f"{noted_case.reference}: due", url="/"
    )
    client.force_login(ada)
    for name in ("admin:deadlines_notification_changelist", "admin:deadlines_deadline_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
    index = client.get(reverse("admin:index")).content.decode()
    assert "Notifications" not in index and noted_case.reference not in index


def test_the_trail_names_records_in_words_not_table_names(client, ada, alice, noted_case):
    client.force_login(ada)
    page = client.get(reverse("audit:search")).content.decode()
    assert f"User account: {alice.username}" in page
    # The technical reference is folded into the entry's details, not the record column.
    record_cells = re.findall(r'<td class="govuk-table__cell">(User account[^<]*)</td>', page)
    assert record_cells and not any("accounts_user" in cell for cell in record_cells)


def test_per_object_permission_tables_have_human_names():
    assert table_label("cases_caseuserobjectpermission") == "Access to a case (one person)"
    assert table_label("accounts_user") == "User account"
