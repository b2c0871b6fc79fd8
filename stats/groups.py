"""Outcome groups: how each allegation's outcome is counted in the returns.

The groups follow the published tables (issue 19 item 9):
- "Service not acceptable" is its own group (IOPC, "Police complaints: statistics for England
  and Wales": the outcome of a complaint handled under Schedule 3 says whether the service
  provided was acceptable; C&M Regs 2020 reg 33 notification of the outcome).
- Proceedings are split by forum and by finding level, as the Home Office "Police misconduct,
  England and Wales" release reports them: misconduct meeting, misconduct hearing and
  accelerated misconduct hearing; misconduct proven, gross misconduct proven, not proven
  (CR 2020 regs 42 and 55). Legacy records without a forum are their own rows.

One table of rules maps an approved outcome's (finding, action, forum) to a group; the first
rule that matches wins. The same rules build the SQL ``CASE`` expression the statistics use and
the explanation shown on the statistics page, so the two cannot drift apart.

An allegation can have several outcomes (one per subject). It is counted ONCE (the returns
count allegations), in the most serious group among its approved outcomes: ``rank`` below,
highest first (each rank belongs to one group). An allegation marked withdrawn, or in a
withdrawn case, counts as withdrawn.
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

from cases.models import Action, Finding, Forum, OutcomeStatus, State
from cases.models import Outcome as OutcomeModel


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    rule: Q
    explanation: str
    rank: int  # seriousness: an allegation takes the highest rank among its outcomes
    css: str = "other"  # the colour family of its bar on the page


GROSS, PROVEN, NOT_PROVEN = (
    Finding.GROSS_MISCONDUCT_PROVEN,
    Finding.MISCONDUCT_PROVEN,
    Finding.NOT_PROVEN,
)
# (key prefix, label, forum value or None for "any other / not recorded").
FORUMS = [
    ("meeting", "Misconduct meeting", Forum.MEETING),
    ("hearing", "Misconduct hearing", Forum.HEARING),
    ("accelerated", "Accelerated misconduct hearing", Forum.ACCELERATED_HEARING),
    ("unrecorded", "Proceedings, forum not recorded", None),
]
# (key suffix, label, finding, css, rank by forum: hearing, accelerated, meeting, unrecorded).
LEVELS = [
    ("gross", "gross misconduct proven", GROSS, "proven", (16, 15, None, 14)),
    ("misconduct", "misconduct proven", PROVEN, "proven", (13, 12, 11, 10)),
    ("not_proven", "not proven", NOT_PROVEN, "not-proven", (9, 8, 7, 6)),
]
FORUM_RANK_INDEX = {"hearing": 0, "accelerated": 1, "meeting": 2, "unrecorded": 3}


def _proceedings_groups(level_keys: set[str]) -> list[Group]:
    """A group per forum for each finding level: a named forum first, then any other forum
    (a gross misconduct finding recorded at a meeting, or a legacy record with none)."""
    found = []
    for suffix, level_label, finding, css, ranks in LEVELS:
        if suffix not in level_keys:
            continue
        for prefix, forum_label, forum in sorted(FORUMS, key=lambda f: f[2] is None):
            rank = ranks[FORUM_RANK_INDEX[prefix]]
            if rank is None:  # a meeting cannot find gross misconduct (CR 2020 reg 42)
                continue
            rule = Q(finding=finding, forum=forum) if forum is not None else Q(finding=finding)
            where = f"at a {forum_label.lower()}" if forum is not None else "with no (other) forum"
            found.append(
                Group(
                    f"{prefix}_{suffix}",
                    f"{forum_label}: {level_label}",
                    rule,
                    f"Finding of {level_label} {where} (CR 2020 reg 42), whatever action "
                    "followed."
                    + (
                        " Not proven with reflective practice counts as reflective practice."
                        if finding == NOT_PROVEN
                        else ""
                    ),
                    rank,
                    css,
                )
            )
    return found


# Evaluated in this order; the first match gives the group of one outcome.
RULES: list[Group] = [
    *_proceedings_groups({"gross", "misconduct"}),
    Group(
        "reflective_practice",
        "Reflective practice",
        Q(action=Action.RPRP),
        "Referred to the Reflective Practice Review Process (CR 2020 Part 6): practice "
        "requiring improvement, or no case to answer / not proven with reflective practice.",
        5,
        "reflective-practice",
    ),
    *_proceedings_groups({"not_proven"}),
    Group(
        "withdrawn",
        "Withdrawn",
        Q(finding=Finding.WITHDRAWN),
        "The complainant withdrew the allegation (C&M Regs 2020 Part 5), or it is marked "
        "withdrawn, or its case was withdrawn.",
        1,
        "withdrawn",
    ),
    Group(
        "service_not_acceptable",
        "Service not acceptable",
        Q(finding=Finding.SERVICE_NOT_ACCEPTABLE),
        "The service provided was not acceptable (the complaint outcome of C&M Regs 2020 "
        "reg 33), with or without learning for the organisation.",
        4,
        "service-not-acceptable",
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
        "no-action",
    ),
    Group(
        "other",
        "Other",
        Q(),
        "Anything else: learning for the organisation after service acceptable, legacy "
        "management advice or action, and finalised allegations with no approved outcome "
        "(e.g. a discontinued case).",
        3,
    ),
]
GROUPS: dict[str, Group] = {group.key: group for group in RULES}
# The order of the rows in the outcome table (the published tables' order: complaint
# outcomes, then proceedings by forum and finding level, then withdrawn and other).
ORDER = [
    "no_action",
    "service_not_acceptable",
    "reflective_practice",
    "meeting_misconduct",
    "meeting_not_proven",
    "hearing_gross",
    "hearing_misconduct",
    "hearing_not_proven",
    "accelerated_gross",
    "accelerated_misconduct",
    "accelerated_not_proven",
    "unrecorded_gross",
    "unrecorded_misconduct",
    "unrecorded_not_proven",
    "withdrawn",
    "other",
]
assert sorted(ORDER) == sorted(GROUPS), "every group has one row"
assert len({g.rank for g in RULES}) == len(RULES), "a rank names one group"


def outcome_rank() -> Case:
    """SQL CASE giving an outcome row the rank of its group (the mapping, in one place)."""
    whens = [When(group.rule, then=Value(group.rank)) for group in RULES if group.rule]
    return Case(*whens, default=Value(GROUPS["other"].rank), output_field=IntegerField())


def outcome_group_key(*, finding: str, action: str, forum: str = "") -> str:
    """The group of one outcome, evaluated in Python with the same rules (for imports and
    explanations)."""
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
