"""The statistics and import pages: permissions, form errors, charts, CSV export."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case
from tests.stats.test_import import HEADER, good_rows

pytestmark = pytest.mark.django_db
URL = reverse("stats:statistics")


def test_investigator_is_refused(client, alice):
    client.force_login(alice)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv", "table": "outcomes"}).status_code == 403
    assert client.get(reverse("stats:import")).status_code == 403


def test_anonymous_user_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("user", ["eve", "carol", "bob"])
def test_analysts_authorities_and_supervisors_see_statistics(client, user, request):
    client.force_login(request.getfixturevalue(user))
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Statistics" in response.content


def test_navigation_offers_statistics_to_permitted_users(client, eve):
    client.force_login(eve)
    assert f'href="{URL}"'.encode() in client.get(reverse("home"), follow=True).content


def test_page_shows_figures_charts_and_definitions(client, eve, fy2025):
    client.force_login(eve)
    page = client.get(URL, {"year": "2025"}).content.decode()
    assert "Statistics: 2025/26" in page
    assert "counted per <strong>allegation</strong>" in page
    assert page.count("<svg") == 2
    assert 'role="img"' in page and '<title id="chart-outcomes-title">' in page
    assert "<desc" in page
    assert "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)  # CSP
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    assert f"Proceedings: misconduct proven</th>{numeric}2</td>" in page
    assert "Handled outside Schedule 3" in page


def test_reversed_date_range_is_a_form_error(client, eve):
    client.force_login(eve)
    response = client.get(URL, {"start": "2025-06-01", "end": "2025-05-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The end date must be the same as or after the start date." in page
    assert "<svg" not in page


def test_half_a_range_is_a_form_error(client, eve):
    client.force_login(eve)
    response = client.get(URL, {"start": "2025-06-01"})
    assert response.status_code == 400
    assert "Give both dates of the range, or neither." in response.content.decode()


def test_csv_export_of_a_table(client, eve, fy2025):
    client.force_login(eve)
    response = client.get(URL, {"year": "2025", "format": "csv", "table": "outcomes"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="outcomes-20250401-20260331.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Outcome group", "Allegations", "Percentage of total"]
    assert rows[1] == ["No action required", "2", "25.0"]
    assert rows[-1] == ["Total", "8", "100.0"]


def test_every_table_exports(client, eve, fy2025):
    client.force_login(eve)
    for name in [
        "recorded",
        "outcomes",
        "categories",
        "trend",
        "outside_schedule_3",
        "timeliness",
        "referrals",
        "conduct_outcomes",
        "barred_list",
    ]:
        response = client.get(URL, {"year": "2025", "format": "csv", "table": name})
        assert response.status_code == 200, name
        assert len(response.content.decode().splitlines()) >= 2


def test_unknown_table_is_404(client, eve):
    client.force_login(eve)
    assert client.get(URL, {"format": "csv", "table": "secrets"}).status_code == 404


def test_import_page_dry_run_then_import(client, eve):
    from tests.accounts.factories import PersonFactory

    PersonFactory(number="PC10001"), PersonFactory(number="PC10002")
    client.force_login(eve)
    url = reverse("stats:import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("legacy.csv", (HEADER + good_rows()).encode(), "text/csv")
    page = client.post(url, {"file": upload, "dry_run": "on"}).content.decode()
    assert "Dry run: every row is valid." in page and Case.objects.count() == 0
    upload = SimpleUploadedFile("legacy.csv", (HEADER + good_rows()).encode(), "text/csv")
    page = client.post(url, {"file": upload}).content.decode()
    assert "Imported 4 rows" in page and Case.objects.count() == 3


def test_import_page_lists_every_problem(client, ada):
    client.force_login(ada)
    bad = HEADER + "OLD-1,yesterday,,,complaint,sch3,Nowhere,,x,,\n"
    upload = SimpleUploadedFile("legacy.csv", bad.encode(), "text/csv")
    page = client.post(reverse("stats:import"), {"file": upload}).content.decode()
    assert "Nothing was imported" in page
    assert "Row 2: received_on “yesterday” is not a date" in page
    assert "Row 2: unknown category “Nowhere”." in page


def test_csv_cells_that_look_like_formulas_are_neutralised():
    from stats.tables import Table

    table = Table("t", "T", ["Category", "Allegations"], rows=[["=HYPERLINK(1)", 3]])
    assert table.to_csv().splitlines()[1] == "'=HYPERLINK(1),3"
