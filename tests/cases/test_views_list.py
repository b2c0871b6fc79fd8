"""The case list: who sees what, filters, search, keyset pages, CSV, pinned query counts."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases.models import Case, SubjectTrack
from cases.views.case_list import TD
from deadlines.models import Deadline, DeadlineKind
from psd.govuk import tag_colour
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from tests.cases.factories import complaint, conduct_matter, days_ago

pytestmark = pytest.mark.django_db
URL = reverse("cases:list")


def refs(response) -> list[str]:
    return [c.reference for c in response.context["page"].rows]


def test_investigator_sees_own_team_cases_only(client, alice, dave):
    mine = complaint(alice)
    theirs = complaint(dave)
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert mine.reference in refs(response)
    assert theirs.reference not in refs(response)


def test_roles_without_case_permission_are_refused(client, victor):
    client.force_login(victor)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("cases:list_csv")).status_code == 403


def test_nav_shows_cases_entry(client, alice):
    client.force_login(alice)
    assert f'href="{URL}"' in client.get(reverse("accounts:person_list")).content.decode()


def test_filters_by_state_type_investigator_and_dates(client, alice, bob, carol):
    old = complaint(alice, received=200)
    new = conduct_matter(bob, received=5)
    client.force_login(carol)
    assert refs(client.get(URL, {"case_type": "conduct"})) == [new.reference]
    assert refs(client.get(URL, {"investigator": alice.pk})) == [old.reference]
    assert refs(client.get(URL, {"received_to": days_ago(100).isoformat()})) == [old.reference]
    assert refs(client.get(URL, {"received_from": days_ago(10).isoformat()})) == [new.reference]
    assert refs(client.get(URL, {"state": "recorded"})) == []


def test_bad_date_range_is_shown_on_the_field(client, carol):
    client.force_login(carol)
    response = client.get(
        URL, {"received_from": days_ago(1).isoformat(), "received_to": days_ago(5).isoformat()}
    )
    assert "The end date must be on or after the start date." in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_search_by_reference_complainant_subject_name_and_number(client, alice):
    officer = PersonFactory(forename="Imogen", surname="Quartermaine", number="PC77123")
    target = complaint(alice, officer)
    other = complaint(alice)
    client.force_login(alice)
    for term in [target.reference, "quarterm", "Imogen Quartermaine", "pc77123"]:
        assert refs(client.get(URL, {"q": term})) == [target.reference], term
    # Both complaints share the factory's complainant name.
    assert set(refs(client.get(URL, {"q": "pat member"}))) == {target.reference, other.reference}


def test_category_filter_matches_parent_category(client, alice):
    from cases.models import AllegationCategory

    case = complaint(alice)
    client.force_login(alice)
    discreditable = AllegationCategory.objects.get(name="Discreditable conduct", parent=None)
    other = AllegationCategory.objects.get(name="Use of police vehicles", parent=None)
    assert refs(client.get(URL, {"category": discreditable.pk})) == [case.reference]
    assert refs(client.get(URL, {"category": other.pk})) == []


def _overdue_deadline(target):
    Deadline.objects.create(
        kind=DeadlineKind.objects.get(code="twelve_month_report"),
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        trigger_date=days_ago(400),
        due_date=days_ago(2),
        label="late",
    )


def test_overdue_filter_finds_case_and_track_deadlines(client, alice):
    late_case, late_track, on_time = complaint(alice), complaint(alice), complaint(alice)
    _overdue_deadline(late_case)
    _overdue_deadline(SubjectTrack.objects.get(case=late_track))
    client.force_login(alice)
    found = set(refs(client.get(URL, {"overdue": "on"})))
    assert found == {late_case.reference, late_track.reference}
    assert on_time.reference not in found


def test_rows_link_each_case_and_escape_what_they_show(client, alice):
    from django.utils.dateformat import format as date_format

    odd = user_with_role(Role.INVESTIGATOR, "odd", first_name="<b>Al", last_name='"x"')
    late, unassigned = complaint(alice, received=40), complaint(alice, received=50)
    Case.objects.filter(pk=late.pk).update(investigator=odd, team=alice.team)
    Case.objects.filter(pk=unassigned.pk).update(investigator=None)
    _overdue_deadline(late)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    link = f'<a class="govuk-link" href="{late.get_absolute_url()}">{late.reference}</a>'
    row = html[html.index(link) :]
    row = row[: row.index("</tr>")]
    assert f"{TD}&lt;b&gt;Al &quot;x&quot;</td>" in row and "<b>" not in row
    assert f"{TD}{date_format(days_ago(40), 'j M Y')}</td>" in row
    tag = f'<strong class="govuk-tag {tag_colour(late.state)}">{late.get_state_display()}</strong>'
    assert tag in row
    kind = DeadlineKind.objects.get(code="twelve_month_report").name
    assert f"{kind}, {date_format(days_ago(2), 'j M Y')}" in row
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in row
    other = html[html.index(f'href="{unassigned.get_absolute_url()}">') :]
    assert f"{TD}Unassigned</td>" in other[: other.index("</tr>")]


def test_an_empty_list_says_so(client, alice):
    client.force_login(alice)
    empty = f'<tr class="govuk-table__row">{TD[:-1]} colspan="6">No cases match.</td></tr>'
    assert empty in client.get(URL).content.decode()


def test_keyset_pages_cover_every_case_once_without_offset(
    client, alice, django_assert_max_num_queries
):
    for days in range(30):
        complaint(alice, received=days % 7)  # many equal dates: the id breaks ties
    client.force_login(alice)
    seen, params, pages = [], {}, 0
    while True:
        response = client.get(URL, params)
        seen += refs(response)
        pages += 1
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        params = {"after": cursor}
    assert pages == 2
    expected = list(
        Case.objects.order_by("-received_on", "-id").values_list("reference", flat=True)
    )
    assert seen == expected


def test_sort_by_reference_pages_in_order(client, alice):
    for _ in range(27):
        complaint(alice)
    client.force_login(alice)
    first = client.get(URL, {"sort": "reference"})
    second = client.get(URL, {"sort": "reference", "after": first.context["page"].next_cursor})
    seen = refs(first) + refs(second)
    assert seen == sorted(seen) and len(seen) == 27


def count_queries(client, url) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_list_query_count_is_the_same_for_3_and_30_cases(client, alice, django_assert_num_queries):
    for _ in range(3):
        complaint(alice)
    client.force_login(alice)
    client.get(URL)  # warm per-process caches (content types)
    with_3, sql = count_queries(client, URL)
    case_sql = [q.upper() for q in sql if '"cases_case"' in q]
    # Keyset pagination: no OFFSET and no COUNT(*) over the cases table.
    assert case_sql and not any(" OFFSET " in q or "COUNT(" in q for q in case_sql)
    assert with_3 <= 20
    for _ in range(27):
        complaint(alice)
    with django_assert_num_queries(with_3):
        response = client.get(URL)
    assert len(response.context["page"].rows) == 25


def test_csv_exports_the_filtered_list(client, alice):
    a = complaint(alice)
    conduct_matter(alice)
    client.force_login(alice)
    response = client.get(reverse("cases:list_csv"), {"case_type": "complaint"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Reference"
    assert [r[0] for r in rows[1:]] == [a.reference]
