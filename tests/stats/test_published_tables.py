"""The tables in the published shapes (issue 19 items 8-12), on constructed data whose expected
figures were worked out by hand (each test's docstring shows the working)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import Department, RoleType
from cases.models import Action, AllegationCategory, Finding, Forum, InvestigationMode
from deadlines.calendar import WorkingCalendar
from stats import selectors
from stats.categories import CATEGORIES, NOT_RECORDED, SUBCATEGORIES, publish
from stats.periods import Scope, financial_year
from stats.selectors import statistics_tables
from stats.timeliness import Span, WorkingDayCounter
from tests.accounts.factories import PersonFactory
from tests.stats.factories import add_allegation, category, make_case

pytestmark = pytest.mark.django_db
D = datetime.date
FY2025 = financial_year(2025)
DELIVERY = "Delivery of duties and service"
BEHAVIOURS = "Individual behaviours"


def tables(scope=None):
    return statistics_tables(period=FY2025, scope=scope or Scope())


def by_label(table, width: int) -> dict:
    return {tuple(row[:width]): row[width:] for row in table.rows}


# --- item 8: categories and subcategories --------------------------------------------------
def test_the_migrations_seed_the_published_categories_and_subcategories_in_order():
    """The IOPC's 2024/25 tables: eleven categories (Table 6's order), each subcategory under
    its own category, in the published order (45 subcategories)."""
    tops = AllegationCategory.objects.filter(parent=None).order_by("order")
    assert [c.name for c in tops] == CATEGORIES
    assert CATEGORIES[8:] == ["Sexual conduct", "Discreditable conduct", "Other"]
    seeded = [
        (c.parent.name, c.name)
        for c in AllegationCategory.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__order", "order")
    ]
    assert seeded == SUBCATEGORIES
    assert len(seeded) == 45
    powers = [name for parent, name in seeded if parent == "Police powers, policies and procedures"]
    assert powers == [
        "Stops, and stop and search",
        "Searches of premises and seizure of property",
        "Power to arrest and detain",
        "Detention in police custody",
        "Bail, identification and interview procedures",
        "Use of force",
        "Evidential procedures",
        "Out of court disposals",
        "Other policies and procedures",
    ]


def test_publishing_renames_the_old_names_and_the_allegations_follow():
    """A database seeded before the published tables were read: "Arrest" (with an allegation)
    becomes "Power to arrest and detain", the same row; "Stop and search" stays as it is
    because an administrator already created "Stops, and stop and search" (never two rows of
    one name); running it again changes nothing."""
    powers = AllegationCategory.objects.get(
        name="Police powers, policies and procedures", parent=None
    )
    AllegationCategory.objects.filter(parent=powers, name="Power to arrest and detain").update(
        name="Arrest"
    )
    AllegationCategory.objects.create(parent=powers, name="Stop and search")
    arrest = AllegationCategory.objects.get(parent=powers, name="Arrest")
    allegation = add_allegation(make_case(recorded_on=D(2025, 6, 2)), arrest)

    publish(AllegationCategory)
    publish(AllegationCategory)

    allegation.refresh_from_db()
    assert allegation.category_id == arrest.pk
    assert allegation.category.name == "Power to arrest and detain"
    names = list(powers.children.values_list("name", flat=True))
    assert names.count("Power to arrest and detain") == 1
    assert "Stop and search" in names and names.count("Stops, and stop and search") == 1
    assert AllegationCategory.objects.filter(parent=None).count() == 11


def test_allegations_are_counted_by_the_sub_category_they_record():
    """6 allegations recorded in 2025/26: Decisions 2 (2/6 = 33.3%); Delivery with no
    subcategory 1, Impolite language/tone 1, Discreditable conduct with no subcategory 1 and
    Other, whose only subcategory is retired, 1 (1/6 = 16.7% each). A retired subcategory
    with no allegation has no row; every other seeded subcategory has one, with 0; a
    category left without subcategories has one row with an empty subcategory."""
    case = make_case(recorded_on=D(2025, 6, 2))
    decisions = category(DELIVERY, "Decisions")
    for cat in (
        decisions,
        decisions,
        category(DELIVERY),
        category(BEHAVIOURS, "Impolite language/tone"),
        category("Discreditable conduct"),
        category("Other"),
    ):
        add_allegation(case, cat)
    AllegationCategory.objects.filter(name="Power to arrest and detain").update(active=False)
    AllegationCategory.objects.filter(name="Other", parent__name="Other").update(active=False)

    table = tables()["subcategories"]
    assert table.headers == [
        "Allegation category",
        "Allegation subcategory",
        "Number of allegations",
        "Percentage of allegations",
    ]
    rows = by_label(table, 2)
    assert NOT_RECORDED == "No subcategory recorded"
    assert rows[(DELIVERY, "Decisions")] == [2, Decimal("33.3")]
    assert rows[(DELIVERY, NOT_RECORDED)] == [1, Decimal("16.7")]
    assert rows[(BEHAVIOURS, "Impolite language/tone")] == [1, Decimal("16.7")]
    assert rows[("Discreditable conduct", NOT_RECORDED)] == [1, Decimal("16.7")]
    assert rows[("Discreditable conduct", "Discreditable conduct")] == [0, Decimal("0.0")]
    assert rows[("Other", "")] == [1, Decimal("16.7")]
    assert ("Other", "Other") not in rows
    assert rows[(DELIVERY, "General level of service")] == [0, Decimal("0.0")]
    assert ("Police powers, policies and procedures", "Power to arrest and detain") not in rows
    assert table.total == ["Total", "", 6, Decimal("100.0")]
    # In the published order: Delivery's subcategories, then its "No subcategory recorded".
    delivery = [row[1] for row in table.rows if row[0] == DELIVERY]
    assert delivery == [
        "Police action following contact",
        "Decisions",
        "General level of service",
        "Information",
        NOT_RECORDED,
    ]
    assert [row[0] for row in table.rows][-3:] == [
        "Discreditable conduct",
        "Discreditable conduct",
        "Other",
    ]
    assert tables()["categories"].rows[0] == [DELIVERY, 3, Decimal("50.0")]


# --- item 10: the Home Office misconduct table (individuals) --------------------------------
def _proceedings_dataset():
    """Six individuals at proceedings in cases finalised in 2025/26:
    - p1 (officer), case 1: gross misconduct proven at a hearing with dismissal on one
      allegation, misconduct proven with a final written warning on another -> ONE
      individual, hearing / gross / dismissal without notice;
    - p3 (police staff), case 1: misconduct proven at a hearing, dismissed with notice;
    - p2 (special constable = officer), case 1: misconduct proven at a meeting, written warning;
    - p4 (PCSO = staff), case 1: not proven at a meeting;
    - p1 again, case 2: gross misconduct proven at an accelerated hearing, dismissal (a
      second individual: one subject in one case);
    - p7 (officer, Roads Policing), case 2: misconduct proven at a hearing, reflective practice.
    Not counted: p6 (no case to answer, no proceedings) and p5 (case finalised next year)."""
    roads = Department.objects.get_or_create(name="Roads Policing")[0]
    p1, p2 = PersonFactory(), PersonFactory(role_type=RoleType.SPECIAL)
    p3 = PersonFactory(role_type=RoleType.STAFF, rank=None)
    p4 = PersonFactory(role_type=RoleType.PCSO, rank=None)
    p5, p6, p7 = PersonFactory(), PersonFactory(), PersonFactory(department=roads)
    one = make_case(recorded_on=D(2025, 5, 1), finalised_on=D(2025, 9, 1))
    cat = category("Discreditable conduct")
    add_allegation(
        one,
        cat,
        (Finding.GROSS_MISCONDUCT_PROVEN, Action.DISMISSAL, Forum.HEARING),
        (Finding.MISCONDUCT_PROVEN, Action.DISMISSAL_WITH_NOTICE, Forum.HEARING),
        subjects=[p1, p3],
    )
    add_allegation(
        one,
        cat,
        (Finding.MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING, Forum.HEARING),
        subjects=[p1],
    )
    add_allegation(
        one,
        cat,
        (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, Forum.MEETING),
        subjects=[p2],
    )
    add_allegation(one, cat, (Finding.NOT_PROVEN, Action.NONE, Forum.MEETING), subjects=[p4])
    add_allegation(one, cat, (Finding.NO_CASE_TO_ANSWER, Action.NONE, ""), subjects=[p6])
    two = make_case(recorded_on=D(2025, 6, 1), finalised_on=D(2026, 1, 15))
    add_allegation(
        two,
        cat,
        (Finding.GROSS_MISCONDUCT_PROVEN, Action.DISMISSAL, Forum.ACCELERATED_HEARING),
        subjects=[p1],
    )
    add_allegation(two, cat, (Finding.MISCONDUCT_PROVEN, Action.RPRP, Forum.HEARING), subjects=[p7])
    later = make_case(recorded_on=D(2025, 6, 1), finalised_on=D(2026, 4, 2))
    add_allegation(
        later,
        cat,
        (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, Forum.MEETING),
        subjects=[p5],
    )
    return roads


def test_misconduct_proceedings_count_individuals_officers_and_staff_apart():
    roads = _proceedings_dataset()
    table = tables()["misconduct_proceedings"]
    assert table.headers == [
        "Proceedings type",
        "Misconduct finding level",
        "Disciplinary action",
        "Police officers",
        "Police staff",
        "Total",
    ]
    nonzero = {key: value for key, value in by_label(table, 3).items() if value[2]}
    assert nonzero == {
        ("Misconduct hearing", "Gross misconduct proven", "Dismissal without notice"): [1, 0, 1],
        ("Misconduct hearing", "Misconduct proven", "Dismissal with notice (police staff)"): [
            0,
            1,
            1,
        ],
        ("Misconduct hearing", "Misconduct proven", "Reflective practice"): [1, 0, 1],
        ("Misconduct meeting", "Misconduct proven", "Written warning"): [1, 0, 1],
        ("Misconduct meeting", "Not proven", ""): [0, 1, 1],
        ("Accelerated misconduct hearing", "Gross misconduct proven", "Dismissal without notice"): [
            1,
            0,
            1,
        ],
    }
    assert table.total == ["Total", "", "", 4, 2, 6]
    # Fixed rows, so the CSV always pastes into the same cells: a meeting cannot find gross
    # misconduct (8 actions + not proven), a hearing and an accelerated hearing can (2 x 8 + 1).
    assert len(table.rows) == 9 + 17 + 17
    # Scope follows the subject: only p7 is in Roads Policing.
    scoped = tables(Scope(department=roads))["misconduct_proceedings"]
    assert scoped.total == ["Total", "", "", 1, 0, 1]


def test_outcome_groups_split_forum_and_finding_level():
    """The same dataset by ALLEGATION (7 finalised in 2025/26): case 1's first allegation is
    gross misconduct at a hearing (its staff subject's misconduct is less serious), the
    second misconduct at a hearing, the third misconduct at a meeting, the fourth not proven
    at a meeting, the fifth no action; case 2: gross at an accelerated hearing, and
    misconduct at a hearing with reflective practice (proven outranks reflective practice)."""
    _proceedings_dataset()
    outcomes = {row[0]: row[1] for row in tables()["outcomes"].rows}
    assert outcomes["Misconduct hearing: gross misconduct proven"] == 1
    assert outcomes["Misconduct hearing: misconduct proven"] == 2
    assert outcomes["Misconduct meeting: misconduct proven"] == 1
    assert outcomes["Misconduct meeting: not proven"] == 1
    assert outcomes["Accelerated misconduct hearing: gross misconduct proven"] == 1
    assert outcomes["No action required"] == 1
    assert outcomes["Reflective practice"] == 0
    assert sum(outcomes.values()) == 7


# --- item 11: timeliness from receipt, with and without suspensions -----------------------
def test_timeliness_starts_when_the_complaint_was_made_not_when_it_was_recorded():
    """Received 1 April 2025, recorded 22 April, finalised 10 June: 46 working days (Good
    Friday 18 April, Easter Monday 21 April and the May bank holidays 5 and 26 May left out)
    and 70 calendar days. From the recording date it would have been 33. Never suspended:
    the average with and without suspensions is the same."""
    case = make_case(
        received_on=D(2025, 4, 1), recorded_on=D(2025, 4, 22), finalised_on=D(2025, 6, 10)
    )
    case.investigation_mode = InvestigationMode.OTBI
    case.save(update_fields=["investigation_mode"])
    row = by_label(tables()["timeliness"], 1)[("Schedule 3: otherwise than by investigation",)]
    assert row == [
        1,
        Decimal("46.0"),
        Decimal("46.0"),
        Decimal("46.0"),
        Decimal("70.0"),
        Decimal("70.0"),
    ]


def test_suspended_days_inside_the_span_are_left_out():
    """The arithmetic alone (no suspension model needed), with the figures worked out below:
    1 Sep -> 31 Oct 2025 is 44 working and 60 calendar days; 15-26 September suspended is 10
    and 12; a period starting before the span counts only from its second day; an open
    period runs to the end."""
    counter = WorkingDayCounter(WorkingCalendar(), D(2025, 8, 1), D(2025, 12, 31))
    plain = Span(D(2025, 9, 1), D(2025, 10, 31))
    assert (plain.working_days(counter), plain.calendar_days()) == (44, 60)
    paused = Span(D(2025, 9, 1), D(2025, 10, 31), ((D(2025, 9, 15), D(2025, 9, 26)),))
    assert (paused.working_days(counter), paused.calendar_days()) == (34, 48)
    assert paused.working_days_inc_suspension(counter) == 44
    # Suspended 25 Aug - 5 Sep: only 2-5 September (4 working, 4 calendar days) were counted.
    early = Span(D(2025, 9, 1), D(2025, 10, 31), ((D(2025, 8, 25), D(2025, 9, 5)),))
    assert (early.working_days(counter), early.calendar_days()) == (40, 56)
    # Still suspended since Mon 17 Nov: to Fri 28 Nov is 10 working, 12 calendar days.
    still = Span(D(2025, 11, 3), D(2025, 11, 28), ((D(2025, 11, 17), None),))
    assert (still.working_days(counter), still.calendar_days()) == (9, 13)


def test_days_an_investigation_was_suspended_are_left_out():
    """Case 1: received Mon 1 Sep 2025, finalised Fri 31 Oct: 44 working days (21 in
    September after the 1st, 23 in October), 60 calendar days; suspended Mon 15 to Fri 26
    September (10 working, 12 calendar days): 34 and 48.
    Case 2: received Mon 3 Nov, finalised Fri 28 Nov: 19 working, 25 calendar days; still
    suspended since Mon 17 Nov, which runs to the end (10 working, 12 calendar): 9 and 13.
    Mean working (34 + 9) / 2 = 21.5; mean calendar (48 + 13) / 2 = 30.5; mean working with
    the suspended days counted (44 + 19) / 2 = 31.5."""
    first = make_case(recorded_on=D(2025, 9, 1), finalised_on=D(2025, 10, 31), mode="local")
    second = make_case(recorded_on=D(2025, 11, 3), finalised_on=D(2025, 11, 28), mode="local")
    selectors.Suspension.objects.create(
        case=first, started_on=D(2025, 9, 15), ended_on=D(2025, 9, 26), reason="other"
    )
    selectors.Suspension.objects.create(case=second, started_on=D(2025, 11, 17), reason="other")
    row = by_label(tables()["timeliness"], 1)[("Schedule 3: local investigation",)]
    assert row == [
        2,
        Decimal("31.5"),
        Decimal("21.5"),
        Decimal("21.5"),
        Decimal("30.5"),
        Decimal("30.5"),
    ]
    assert tables()["timeliness"].headers[2:4] == [
        "Average number of working days to finalise (inc suspension)",
        "Average number of working days to finalise (exc suspension)",
    ]


# --- item 12: the annual return prints what the CSV files hold -----------------------------
def test_the_annual_return_prints_every_table_with_the_published_headings(fy2025, capsys):
    call_command("stats_annual_return", "--year", "2025")
    out = capsys.readouterr().out
    for table in tables().values():
        assert f"{table.title} ({table.name}-2025.csv)\n{table.to_csv()}" in out
    assert "Allegation category,Allegation subcategory,Number of allegations" in out
    assert (
        "Proceedings type,Misconduct finding level,Disciplinary action,Police officers,"
        "Police staff,Total" in out
    )
