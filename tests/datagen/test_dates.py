"""Every date the generator derives from a rule is the one the application's own rules give:
deadlines through ``deadlines.calendar`` (months to the same day or the month's last day,
working days with bank holidays), proceedings after their notice period, reviews inside the
review window."""

import datetime

import pytest

from cases.models import Case, CaseTransition, State, SubjectTrack
from cases.services.aftercare import review_deadline
from datagen.deadline_rows import Clocks
from datagen.generator import Generator, Plan
from deadlines.calendar import WorkingCalendar, add_months
from deadlines.models import Deadline
from vetting.models import Clearance

pytestmark = pytest.mark.django_db(transaction=False)

ANCHOR = datetime.date(2026, 11, 1)
D = datetime.date


def twelve_months_starting_with(start: datetime.date) -> datetime.date:
    """C&M Regs 2020 reg 13(3)(a): the last day of the 12 months starting with ``start``."""
    corresponding = add_months(start, 12)
    if corresponding.day != start.day:
        return corresponding  # no such day that month: its last day
    return corresponding - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2025, 1, 31), D(2026, 1, 30)),  # the old generator clamped this to the 28th
        (D(2025, 8, 30), D(2026, 8, 29)),
        (D(2024, 2, 29), D(2025, 2, 28)),  # no 29 February: the month's last day
        (D(2023, 3, 1), D(2024, 2, 29)),
        (D(2025, 12, 31), D(2026, 12, 30)),
    ],
)
def test_twelve_month_due_dates_are_the_last_day_of_the_period_also_at_month_end(start, due):
    clocks = Clocks()
    assert clocks.due("twelve_month_report", start) == twelve_months_starting_with(start) == due
    assert clocks.first_alert("twelve_month_report", due) == due - datetime.timedelta(days=30)


def test_working_day_rules_count_bank_holidays():
    clocks = Clocks()
    # Notice on Friday 19 December 2025: Christmas Day, Boxing Day and New Year's Day fall in
    # the ten working days (CR 2020 reg 18), so they run to 7 January 2026.
    assert clocks.due("reg17_representations", D(2025, 12, 19)) == D(2026, 1, 7)
    assert clocks.due("reg31_response", D(2025, 12, 19)) == WorkingCalendar().add_working_days(
        D(2025, 12, 19), 15
    )


@pytest.fixture
def recent_data():
    """Two years of data, so many cases are still open with their clocks running."""
    plan = Plan(allegations=5000, people=500, seed=5, anchor=ANCHOR, years=2)
    Generator(plan).run()


def test_open_case_deadlines_match_the_calendar(recent_data):
    cases = {case.pk: case for case in Case.objects.all()}
    twelve = list(Deadline.objects.filter(kind__code="twelve_month_report"))
    assert len(twelve) > 100
    for deadline in twelve:
        # cases.clocks.case_recorded: from the day the complaint or matter came to notice.
        received = cases[deadline.object_id].received_on
        assert deadline.trigger_date == received
        assert deadline.due_date == twelve_months_starting_with(received)
        assert deadline.next_alert_on == deadline.due_date - datetime.timedelta(days=30)
        # The periods end when the investigation is concluded (cases.clocks).
        assert cases[deadline.object_id].state not in (State.REPORT_SUBMITTED, State.OTBI)
    month_ends = [d for d in twelve if d.trigger_date.day > 28]
    assert month_ends, "no 29th-31st start in the sample"
    calendar = WorkingCalendar.load()
    tracks = {track.pk: track for track in SubjectTrack.objects.all()}
    reg17 = list(Deadline.objects.filter(kind__code="reg17_representations"))
    assert reg17
    for deadline in reg17:
        notice = tracks[deadline.object_id].notice_served_on
        assert deadline.trigger_date == notice
        assert deadline.due_date == calendar.add_working_days(notice, 10)
        assert deadline.next_alert_on == deadline.due_date - datetime.timedelta(days=5)


def test_proceedings_reviews_and_clearances_follow_their_rules(recent_data):
    calendar = WorkingCalendar.load()
    referred = SubjectTrack.objects.exclude(proceedings_date=None)
    assert referred.exists()
    for track in referred:
        # Fixed for the day the officer's reg 31 response falls due (CR 2020 reg 31(1): 15
        # working days), for meetings and hearings alike: no invented notice periods.
        assert track.proceedings_date == calendar.add_working_days(track.proceedings_notice_on, 15)
    reviews = CaseTransition.objects.filter(name="request_review").select_related("case")
    assert reviews.exists()
    for row in reviews:
        # C&M Regs 2020 reg 29(2): inside the window after the outcome was sent.
        assert row.case.outcome_sent_on <= row.at.date() <= review_deadline(row.case)
    clearances = Clearance.objects.select_related("level")
    revetting = {d.object_id: d for d in Deadline.objects.filter(kind__code="revetting_due")}
    assert clearances.count() == len(revetting) > 100
    for clearance in clearances:
        assert clearance.expires_on == add_months(
            clearance.granted_on, clearance.level.renewal_months
        )
        deadline = revetting[clearance.person_id]
        assert deadline.due_date == clearance.expires_on
        assert deadline.trigger_date == min(ANCHOR, clearance.expires_on)
