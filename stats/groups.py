"""Outcome groups: how each allegation's outcome is counted in the returns.

One table of rules maps an approved outcome's (finding, action, forum) to a group; the first
rule that matches wins. The forum (meeting, hearing, accelerated hearing) never splits a group:
"proven" and "not proven" are results of proceedings whichever forum gave them, and legacy
records often have none. The same rules build the SQL ``CASE`` expression the statistics use and
the explanation shown on the statistics page, so the two cannot drift apart.

An allegation can have several outcomes (one per subject). It is counted ONCE (Home Office
returns count allegations), in the most serious group among its approved outcomes: RANK below,
highest first. An allegation marked withdrawn, or in a withdrawn case, counts as withdrawn.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cases.models import Action, Finding, OutcomeStatus, State
from cases.models import Outcome as OutcomeModel


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    rule: Q
    explanation: str
    rank: int  # seriousness: an allegation takes the highest rank among its outcomes


# Evaluated in this order; the first match gives the group of one outcome.
RULES: list[Group] = [
    Group(
        "proven",
        "Proceedings: misconduct proven",
        Q(finding__in=[Finding.MISCONDUCT_PROVEN, Finding.GROSS_MISCONDUCT_PROVEN]),
        "Misconduct or gross misconduct found proven (CR 2020 reg 42), at a misconduct "
        "meeting, hearing or accelerated hearing, whatever disciplinary action followed.",
        6,
    ),
    Group(
        "reflective_practice",
        "Reflective practice",
        Q(action=Action.RPRP),
        "Referred to the Reflective Practice Review Process (CR 2020 Part 6): practice "
        "requiring improvement, or no case to answer / not proven with reflective practice.",
        4,
    ),
    Group(
        "not_proven",
        "Proceedings: misconduct not proven",
        Q(finding=Finding.NOT_PROVEN),
        "Case to answer and sent to a misconduct meeting or hearing, found not proven, "
        "no further action.",
        5,
    ),
    Group(
        "withdrawn",
        "Withdrawn",
        Q(finding=Finding.WITHDRAWN),
        "The complainant withdrew the allegation (C&M Regs 2020 Part 5), or it is marked "
        "withdrawn, or its case was withdrawn.",
        1,
    ),
    Group(
        "no_action",
        "No action required",
        Q(
            finding__in=[
                Finding.NO_MISCONDUCT,
                Finding.NO_CASE_TO_ANSWER,
                Finding.SERVICE_ACCEPTABLE,
                Finding.NFA,
            ],
            action=Action.NONE,
        ),
        "No misconduct, no case to answer, service acceptable, or looked into with no "
        "further action, and no action taken.",
        2,
    ),
    Group(
        "other",
        "Other",
        Q(),
        "Anything else: service not acceptable, learning for the organisation, legacy "
        "management advice or action, and finalised allegations with no approved outcome "
        "(e.g. a discontinued case).",
        3,
    ),
]
GROUPS: dict[str, Group] = {group.key: group for group in RULES}
# The order of the rows in the outcome table.
ORDER = ["no_action", "reflective_practice", "proven", "not_proven", "withdrawn", "other"]


def outcome_rank() -> Case:
    """SQL CASE giving an outcome row the rank of its group (the mapping, in one place)."""
    whens = [When(group.rule, then=Value(group.rank)) for group in RULES if group.rule]
    return Case(*whens, default=Value(GROUPS["other"].rank), output_field=IntegerField())


def outcome_group_key(*, finding: str, action: str, forum: str = "") -> str:
    """The group of one outcome, evaluated in Python with the same rules (for imports and
    explanations). ``forum`` does not change the group: proven and not proven are proceedings
    results whichever forum (or legacy record without one) gave them."""
    values = {"finding": finding, "action": action, "forum": forum}
    for group in RULES:
        if _matches(group.rule, values):
            return group.key
    return "other"


def _matches(rule: Q, values: dict) -> bool:
    if not rule.children:
        return True
    for lookup, expected in rule.children:
        name, _, op = lookup.partition("__")
        value = values[name]
        if op == "in" and value not in expected:
            return False
        if not op and value != expected:
            return False
    return True


def with_outcome_group(allegations: QuerySet) -> QuerySet:
    """Annotate each allegation with ``outcome_group``, its group key, in SQL.

    One correlated subquery per allegation picks its most serious approved outcome (highest
    rank) and returns that outcome's group key; the CASE around it applies withdrawal. The
    subquery appears once in the SQL, so the database evaluates it once per allegation.
    """
    key_of_rank = Case(
        *[When(rank=group.rank, then=Value(group.key)) for group in RULES],
        output_field=CharField(),
    )
    most_serious = (
        OutcomeModel.objects.filter(allegation=OuterRef("pk"), status=OutcomeStatus.APPROVED)
        .annotate(rank=outcome_rank())
        .annotate(group_key=key_of_rank)
        .order_by("-rank", "pk")
        .values("group_key")[:1]
    )
    return allegations.annotate(
        outcome_group=Case(
            When(Q(withdrawn=True) | Q(case__state=State.WITHDRAWN), then=Value("withdrawn")),
            default=Coalesce(Subquery(most_serious, output_field=CharField()), Value("other")),
            output_field=CharField(),
        )
    )
