import datetime

import pytest

from accounts.models import Department
from cases.models import Action, CaseType, Finding, Forum, Handling, InvestigationMode, State
from tests.accounts.factories import PersonFactory
from tests.stats.factories import add_allegation, barred, category, make_case, refer

D = datetime.date
DELIVERY = "Delivery of duties and service"
POWERS = "Police powers, policies and procedures"


def build_fy2025(copies: int = 1) -> dict:
    """A dataset with known figures for financial year 2025/26 (1 Apr 2025 - 31 Mar 2026).

    Per copy: 8 allegations recorded under Schedule 3 in the year (A3, B2, C1, F1, H1) and 8
    finalised in it (A3, B2, D1, F1, H1): 2 no action, 1 reflective practice, 2 proven,
    1 not proven, 1 withdrawn, 1 other. Outside Schedule 3: 1 complaint with 2 allegations.
    """
    roads = Department.objects.get_or_create(name="Roads Policing")[0]
    cases = {}
    for _ in range(copies):
        p1 = PersonFactory()
        p2, p3 = PersonFactory(department=roads), PersonFactory(department=roads)
        p4 = PersonFactory()
        # A: recorded on the first day of the year, 3 allegations.
        a = make_case(recorded_on=D(2025, 4, 1), finalised_on=D(2025, 6, 10), mode="otbi")
        add_allegation(
            a, category(DELIVERY), (Finding.NO_CASE_TO_ANSWER, Action.NONE, ""), subjects=[p1]
        )
        add_allegation(
            a, category("Individual behaviours"), (Finding.PRI, Action.RPRP, ""), subjects=[p1]
        )
        add_allegation(a, category(DELIVERY), (Finding.SERVICE_ACCEPTABLE, Action.NONE, ""))
        # B: two subjects on one allegation: counted once, in the most serious group.
        b = make_case(
            recorded_on=D(2025, 5, 15), finalised_on=D(2025, 9, 1), mode=InvestigationMode.LOCAL
        )
        add_allegation(
            b,
            category(POWERS, "Stops, and stop and search"),
            (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, Forum.MEETING),
            (Finding.NOT_PROVEN, Action.NONE, Forum.MEETING),
            subjects=[p2, p3],
        )
        add_allegation(
            b, category(POWERS), (Finding.NOT_PROVEN, Action.NONE, Forum.HEARING), subjects=[p2]
        )
        refer(b, D(2025, 5, 20), InvestigationMode.LOCAL)
        # C: a conduct matter recorded on the last day of the year, still open.
        c = make_case(recorded_on=D(2026, 3, 31), case_type=CaseType.RECORDABLE_CONDUCT_MATTER)
        add_allegation(c, category("Abuse of position/corruption"), subjects=[p4])
        refer(c, D(2026, 3, 30))
        # D: recorded the year before, withdrawn on the first day of this one.
        d = make_case(recorded_on=D(2024, 12, 1), finalised_on=D(2025, 4, 1), state=State.WITHDRAWN)
        add_allegation(d, category(DELIVERY), subjects=[p1], withdrawn=True)
        refer(d, D(2025, 3, 31), InvestigationMode.LOCAL)
        # E: recorded the first day of the NEXT year: not counted.
        e = make_case(recorded_on=D(2026, 4, 1))
        add_allegation(e, category(DELIVERY), subjects=[p1])
        # F: dismissal at a hearing, finalised on the last day; barred list entry.
        f = make_case(
            recorded_on=D(2025, 7, 1),
            finalised_on=D(2026, 3, 31),
            mode=InvestigationMode.INDEPENDENT,
        )
        dismissed = add_allegation(
            f,
            category("Discreditable conduct"),
            (Finding.GROSS_MISCONDUCT_PROVEN, Action.DISMISSAL, Forum.HEARING),
            subjects=[p4],
        )
        refer(f, D(2025, 7, 5), InvestigationMode.INDEPENDENT)
        barred(p4, f, D(2026, 3, 31), outcome=dismissed.outcomes.get())
        barred(PersonFactory(), d, D(2025, 3, 31))  # the year before: not counted
        # H: service not acceptable with learning: "other".
        h = make_case(recorded_on=D(2025, 10, 1), finalised_on=D(2025, 11, 1), mode="otbi")
        add_allegation(h, category(DELIVERY), (Finding.SERVICE_NOT_ACCEPTABLE, Action.LEARNING, ""))
        # G: handled outside Schedule 3, resolved: never in the formal figures.
        g = make_case(
            received_on=D(2025, 8, 1),
            finalised_on=D(2025, 8, 5),
            handling=Handling.OUTSIDE_SCHEDULE_3,
        )
        add_allegation(g, category(DELIVERY), subjects=[p1])
        add_allegation(g, category(DELIVERY), subjects=[p2])
        cases.update(a=a, b=b, c=c, d=d, e=e, f=f, g=g, h=h)
    return {"roads": roads, **cases}


@pytest.fixture
def fy2025(db):
    return build_fy2025()
