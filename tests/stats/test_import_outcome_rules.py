"""Item 9 of issue 18: a legacy row's 2020-regime outcome is checked by the live services' own
rule (cases.services.outcomes.validate_outcome), not a copy of it."""

import pytest

from cases.models import Outcome, StaffOutcomeKind
from stats.services import ImportRefused, allegations_import
from tests.accounts.factories import PersonFactory, StaffPersonFactory

pytestmark = pytest.mark.django_db
HEADER = (
    "legacy_reference,received_on,recorded_on,finalised_on,case_type,handling,category,"
    "subject_number,summary,finding,action"
)
CASE = "2021-03-02,2021-03-03,2021-06-01,complaint,sch3,Discreditable conduct"


@pytest.fixture
def people(db):
    return PersonFactory(number="PC20001"), StaffPersonFactory(number="S20001")


def run(user, rows: list[str], header: str = HEADER):
    text = "\n".join([header, *rows]) + "\n"
    return allegations_import(actor=user, data=text.encode(), filename="legacy.csv")


def refusals(user, rows, header=HEADER) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        run(user, rows, header)
    assert not Outcome.objects.exists()
    return [str(error) for error in refused.value.errors]


def test_gross_misconduct_with_a_written_warning_is_refused(eve, people):
    messages = refusals(eve, [f"OLD-1,{CASE},PC20001,Lied,gross,ww"])
    assert len(messages) == 1
    assert messages[0].startswith("Row 2: Allegation 1,")
    assert "gross misconduct leads to a final written warning" in messages[0]


def test_a_meeting_cannot_dismiss_and_a_hearing_needs_a_live_warning_for_misconduct(eve, people):
    header = HEADER + ",forum,prior_warning"
    messages = refusals(
        eve,
        [
            f"OLD-1,{CASE},PC20001,Rude,misconduct,dismissal,,",
            f"OLD-2,{CASE},PC20001,Rude,misconduct,dismissal,hearing,",
        ],
        header,
    )
    assert "at most a final written warning" in messages[0]
    assert "live final written warning" in messages[1]
    result = run(eve, [f"OLD-2,{CASE},PC20001,Rude,misconduct,dismissal,hearing,yes"], header)
    assert result.outcomes == 1


def test_police_staff_outcomes_come_from_the_staff_list(eve, people):
    assert (
        "not under the Conduct Regulations"
        in refusals(eve, [f"OLD-1,{CASE},S20001,Theft,gross,dismissal"])[0]
    )
    result = run(eve, [f"OLD-1,{CASE},S20001,Theft,gross,dismissal_with_notice"])
    assert result.outcomes == 1
    outcome = Outcome.objects.get()
    assert outcome.staff_outcome == StaffOutcomeKind.objects.get(code="dismissal_with_notice")


def test_2012_regime_rows_keep_their_legacy_rules(eve, people):
    result = run(
        eve,
        [
            "OLD-1,2019-05-02,2019-05-03,2019-09-30,complaint,sch3,Discreditable conduct,PC20001,"
            "Rude,misconduct,mgmt_advice"
        ],
    )
    assert result.outcomes == 1
