"""The Home Office misconduct table: INDIVIDUALS at misconduct proceedings (issue 19 item 10).

Home Office, "Police misconduct, England and Wales: year ending 31 March 2024": individuals
referred to formal misconduct proceedings as a result of cases finalised in the year, police
officers and police staff apart, by proceedings type (misconduct meeting, misconduct hearing,
accelerated misconduct hearing), the misconduct finding level and the disciplinary action.
"""

from accounts.models import RoleType
from cases.models import Action, Finding, Forum, Outcome, OutcomeStatus

from .filters import Filters
from .tables import Table

# Police officers include special constables; police staff include PCSOs (and designated
# officers): the Home Office release's definitions. Designated volunteers are neither (nor
# under the Conduct Regulations): they are not counted.
OFFICER_ROLES = {RoleType.OFFICER, RoleType.SPECIAL}
PROCEEDINGS = [
    (Forum.MEETING, "Misconduct meeting"),
    (Forum.HEARING, "Misconduct hearing"),
    (Forum.ACCELERATED_HEARING, "Accelerated misconduct hearing"),
]
# Finding levels, most serious first; a meeting finds misconduct at most (CR 2020 reg 42).
LEVELS = [
    (Finding.GROSS_MISCONDUCT_PROVEN, "Gross misconduct proven"),
    (Finding.MISCONDUCT_PROVEN, "Misconduct proven"),
]
NOT_PROVEN_LABEL = "Not proven"
# Disciplinary actions, most serious first; anything else is "no disciplinary action".
ACTIONS = [
    (Action.DISMISSAL, "Dismissal without notice"),
    (Action.WOULD_HAVE_BEEN_DISMISSED, "Would have been dismissed"),
    (Action.DISMISSAL_WITH_NOTICE, "Dismissal with notice (police staff)"),
    (Action.REDUCTION_IN_RANK, "Reduction in rank"),
    (Action.FINAL_WRITTEN_WARNING, "Final written warning"),
    (Action.WRITTEN_WARNING, "Written warning"),
    (Action.RPRP, "Reflective practice"),
    ("", "No disciplinary action"),
]
_FORUM_RANK = {forum: rank for rank, (forum, _) in enumerate(reversed(PROCEEDINGS), start=1)}
_LEVEL_RANK = {finding: rank for rank, (finding, _) in enumerate(reversed(LEVELS), start=1)}
_ACTION_RANK = {action: rank for rank, (action, _) in enumerate(reversed(ACTIONS))}


def _individuals(f: Filters) -> dict[tuple, list[int]]:
    """(proceedings type, finding level, action) -> [officers, staff]: each individual (one
    subject in one case) counted once, at the most serious forum, finding and action among
    their approved outcomes at proceedings in cases finalised in the period."""
    start, after = f.day_bounds()
    outcomes = Outcome.objects.filter(
        status=OutcomeStatus.APPROVED,
        track__isnull=False,
        forum__in=[forum for forum, _ in PROCEEDINGS],
        allegation__case__finalised_at__gte=start,
        allegation__case__finalised_at__lt=after,
        **f.subjects("track__person"),
    )
    if f.scope.case_type:
        outcomes = outcomes.filter(allegation__case__case_type=f.scope.case_type)
    outcomes = outcomes.exclude(track__person__role_type__in=RoleType.volunteers())
    people: dict[int, list] = {}
    rows = outcomes.values_list(
        "track_id", "forum", "finding", "action", "track__person__role_type"
    )
    for track, forum, finding, action, role in rows.order_by():
        action = action if action in _ACTION_RANK else ""
        best = people.setdefault(track, [forum, finding, action, role])
        best[0] = max(best[0], forum, key=_FORUM_RANK.__getitem__)
        best[1] = max(best[1], finding, key=lambda x: _LEVEL_RANK.get(x, 0))
        best[2] = max(best[2], action, key=_ACTION_RANK.__getitem__)
    found: dict[tuple, list[int]] = {}
    for forum, finding, action, role in people.values():
        key = (forum, finding, action) if finding in _LEVEL_RANK else (forum, "", "")
        found.setdefault(key, [0, 0])[0 if role in OFFICER_ROLES else 1] += 1
    return found


def misconduct_table(f: Filters) -> Table:
    """Individuals at misconduct proceedings in cases finalised in the period, by proceedings
    type, finding level and disciplinary action; police officers and police staff apart."""
    found = _individuals(f)
    table = Table(
        "misconduct_proceedings",
        "Individuals at misconduct proceedings, by proceedings type, finding and outcome",
        [
            "Proceedings type",
            "Misconduct finding level",
            "Disciplinary action",
            "Police officers",
            "Police staff",
            "Total",
        ],
        note="Individuals, not allegations: a person who is a subject of one case is counted "
        "once, at the most serious finding and action among their outcomes. Police officers "
        "include special constables; police staff include PCSOs; designated volunteers are "
        "not counted. Cases finalised in the period.",
    )
    for forum, forum_label in PROCEEDINGS:
        # A meeting finds misconduct at most (CR 2020 reg 42): its gross misconduct row is
        # shown only when a record has one, so that no individual goes uncounted.
        gross_at_meeting = any(key[:2] == (forum, LEVELS[0][0]) for key in found)
        levels = LEVELS[1:] if forum == Forum.MEETING and not gross_at_meeting else LEVELS
        for finding, level_label in levels:
            for action, action_label in ACTIONS:
                officers, staff_ = found.get((forum, finding, action), [0, 0])
                table.rows.append(
                    [forum_label, level_label, action_label, officers, staff_, officers + staff_]
                )
        officers, staff_ = found.get((forum, "", ""), [0, 0])
        table.rows.append([forum_label, NOT_PROVEN_LABEL, "", officers, staff_, officers + staff_])
    officers = sum(row[3] for row in table.rows)
    staff_ = sum(row[4] for row in table.rows)
    table.total = ["Total", "", "", officers, staff_, officers + staff_]
    return table
