"""One search for cases and people (issue 22 item 5) on indexes (issue 21 item 3): a reference
by its unique index, subjects by surname or number prefix, complainants by name, words in case
and allegation summaries; only cases the user may see; the list shows a snippet and subjects."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from cases.models import Case
from cases.selectors import search as case_search
from cases.selectors.search import as_reference, case_ids_matching
from tests.accounts.factories import PersonFactory
from tests.cases.factories import allegation, complaint

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")
LIST = reverse("cases:list")


def refs(response) -> list[str]:
    return [row.reference for row in response.context["page"].rows]


def summarise(case, text: str) -> None:
    Case.objects.filter(pk=case.pk).update(summary=text)


@pytest.fixture
def market_street(alice):
    """A complaint whose summary names Market Street, about PC Quartermaine."""
    officer = PersonFactory(forename="Imogen", surname="Quartermaine", number="PC77123")
    case = complaint(alice, officer)
    summarise(case, "Stopped and searched on Market Street without a reason being given")
    return case


def test_words_in_a_case_summary_find_it_in_the_search_and_the_case_list(
    client, alice, market_street
):
    complaint(alice)  # about an arrest: no Market Street
    client.force_login(alice)
    for url in (SEARCH, LIST):
        assert refs(client.get(url, {"q": "Market Street"})) == [market_street.reference], url
        assert refs(client.get(url, {"q": "market street"})) == [market_street.reference], url


def test_every_word_must_match_and_words_in_allegations_count(client, alice):
    spitting = complaint(
        alice, allegations=[allegation(PersonFactory(), summary="Spat at a cyclist in the park")]
    )
    client.force_login(alice)
    assert refs(client.get(SEARCH, {"q": "cyclist park"})) == [spitting.reference]
    assert refs(client.get(SEARCH, {"q": "cyclist harbour"})) == []


def test_reference_is_found_exactly_in_any_spelling(client, alice, market_street):
    complaint(alice)
    client.force_login(alice)
    year, number = market_street.reference.split("-")[1:]
    for term in (market_street.reference, market_street.reference.lower(), f"{year}-{int(number)}"):
        assert refs(client.get(SEARCH, {"q": term})) == [market_street.reference], term
    assert as_reference("PSD-2026-12") == "PSD-2026-000012"
    assert as_reference("Market Street") is None


def test_people_subjects_and_complainants(client, alice, market_street):
    client.force_login(alice)
    for term in ("quarterm", "Imogen Quartermaine", "pc77123", "Pat Member"):
        assert market_street.reference in refs(client.get(SEARCH, {"q": term})), term


def test_anonymous_complainants_are_not_found_by_name(client, alice):
    case = complaint(alice)
    case.complainants.update(anonymous=True, name="Hidden Person")
    client.force_login(alice)
    assert refs(client.get(SEARCH, {"q": "Hidden Person"})) == []


def test_cases_the_user_may_not_see_never_appear(client, alice, dave, carol, market_street):
    client.force_login(dave)  # another team's investigator
    for term in ("Market Street", market_street.reference, "Quartermaine"):
        assert refs(client.get(SEARCH, {"q": term})) == [], term
    client.force_login(carol)  # sees every case
    assert refs(client.get(SEARCH, {"q": "Market Street"})) == [market_street.reference]


def test_the_search_page_lists_people_only_to_those_who_may_see_the_register(
    client, alice, victor, market_street
):
    client.force_login(alice)
    page = client.get(SEARCH, {"q": "Quartermaine"})
    assert [p.surname for p in page.context["people"]] == ["Quartermaine"]
    client.force_login(victor)  # vetting: people, not cases
    page = client.get(SEARCH, {"q": "Quartermaine"})
    assert "page" not in page.context
    assert victor.has_perm("accounts.view_person") == ("people" in page.context)


def test_rows_show_a_summary_snippet_and_the_subjects(client, alice, market_street):
    long_one = complaint(alice, PersonFactory(forename="Ann", surname="Bell"))
    summarise(long_one, "Word " * 60)
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    assert "Stopped and searched on Market Street without a reason being given" in html
    assert "Imogen Quartermaine" in html and "Ann Bell" in html
    rows = {row.reference: row for row in client.get(LIST).context["page"].rows}
    assert rows[market_street.reference].subjects == ("Imogen Quartermaine",)
    assert "Word Word" in html and "…" in html  # the long summary cut with an ellipsis


def test_rare_and_common_terms_give_the_same_cases(client, alice, monkeypatch):
    cases = [complaint(alice) for _ in range(3)]
    for case in cases:
        summarise(case, "Property not returned after the search")
    client.force_login(alice)
    found = {}
    found["rare"] = set(refs(client.get(SEARCH, {"q": "property returned"})))
    monkeypatch.setattr(case_search, "CANDIDATES", 1)  # now "common": the hashed sets
    found["common"] = set(refs(client.get(SEARCH, {"q": "property returned"})))
    monkeypatch.setattr(case_search, "ROW_BY_ROW_ABOVE", -1)  # PostgreSQL: case by case
    found["very common"] = set(refs(client.get(SEARCH, {"q": "property returned"})))
    assert all(refs_ == {case.reference for case in cases} for refs_ in found.values()), found


def test_search_box_include_submits_to_the_search_page():
    html = render_to_string("includes/search_box.html", {"search_query": "Market <St>"})
    assert f'action="{SEARCH}"' in html and 'name="q"' in html
    assert 'class="govuk-input' in html and 'class="govuk-button' in html
    assert '<label class="govuk-label' in html and 'for="header-search"' in html
    assert 'value="Market &lt;St&gt;"' in html


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")
def test_every_part_of_the_search_can_use_an_index(alice, market_street):
    """With sequential scans priced out, each part of the search's query reads an index: the
    expressions of migration cases/0006 are the ones the queries use."""
    ids = case_search._id_sets("Market Street")
    union = ids[0].union(*ids[1:], all=True)
    sql, params = union.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)  # noqa: S608  # nosec B608
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in (
        "case_summary_fts",
        "allegation_summary_fts",
        "complainant_name_trgm",
        "complainant_organisation_trgm",
        "person_surname_prefix_idx",
    ):
        assert index in plan, plan
    assert case_ids_matching("Market Street") == [market_street.pk]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_a_very_common_term_tests_each_walked_case_never_a_hashed_set(alice, market_street):
    """The case-by-case filter must stay case by case: PostgreSQL may turn an EXISTS matched on
    "=" into a hashed set of every match (at 1.35M allegations, 254 ms instead of 17 ms for
    "vehicle search"). With index scans priced out, hashing is the cheaper plan, so a
    hashable filter would show "hashed SubPlan" here."""
    cases = Case.objects.filter(case_search._row_by_row_filter("Market Street"))
    sql, params = cases.order_by("-received_on", "-pk")[:26].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)  # noqa: S608  # nosec B608
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "hashed SubPlan" not in plan, plan
    assert list(cases) == [market_street]


def test_a_term_the_case_list_would_refuse_is_refused_here_too(client, alice, market_street):
    client.force_login(alice)
    for term in ("Market\x00Street", "Market " * 20):
        response = client.get(SEARCH, {"q": term})
        assert response.status_code == 200, term
        assert 'id="search-error"' in response.content.decode(), term
        assert "page" not in response.context, term  # nothing searched
