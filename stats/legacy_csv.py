"""Reading and checking a legacy-system CSV of historic allegations (one row per allegation).

Columns: see COLUMN_HELP below (shown on the import page). Header row required, any order,
names not case-sensitive.

Case-level columns (received_on, recorded_on, finalised_on, case_type, handling) must be the
same on every row of a case. Cases received before 1 February 2020 are recorded under the 2012
(legacy) regime, and only they may carry legacy actions (management advice or action,
dismissal with notice). The outcome of a 2020-regime allegation is checked by the live
services' own rule (``cases.services.outcomes.validate_outcome``: CR 2020 reg 42, and the
force's staff outcome list for police staff), as if the subject's proceedings had ended in the
row's forum (optional column; a hearing for gross misconduct, else a meeting). Row numbers in
messages count the header as row 1, as a spreadsheet shows them.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db.models.functions import Upper
from django.utils import timezone

from accounts.models import Person
from cases.models import (
    Action,
    Allegation,
    AllegationCategory,
    Case,
    CaseType,
    Finding,
    Forum,
    Handling,
    Regime,
    Severity,
    StaffOutcomeKind,
    SubjectTrack,
    TrackState,
)
from cases.services.outcomes import OutcomeData, validate_outcome
from cases.services.staff import is_police_staff
from psd.domain import DomainError

COLUMNS = [
    "legacy_reference",
    "received_on",
    "recorded_on",
    "finalised_on",
    "case_type",
    "handling",
    "category",
    "subject_number",
    "summary",
    "finding",
    "action",
]
OPTIONAL_COLUMNS = ["force_code", "forum", "prior_warning"]
# (column, required, meaning): the documentation of the format, shown on the import page.
COLUMN_HELP = [
    (
        "legacy_reference",
        "Yes",
        "The case's reference in the old system. Rows sharing it are "
        "the allegations of one case, numbered in file order.",
    ),
    ("received_on", "Yes", "Date received: YYYY-MM-DD or DD/MM/YYYY."),
    ("recorded_on", "Schedule 3 cases", "Date recorded under Schedule 3; blank outside it."),
    ("finalised_on", "No", "Date finalised; blank if the case is still open."),
    ("case_type", "Yes", "complaint, conduct, recordable_conduct or dsi (or the label)."),
    ("handling", "Yes", "sch3 (recorded under Schedule 3) or outside (handled outside it)."),
    ("category", "Yes", "A top-level category name, or “Category: Sub-category”."),
    (
        "subject_number",
        "No",
        "Collar, warrant or staff number of the subject in the personnel "
        "register; blank when the allegation is about the force's service.",
    ),
    ("summary", "Yes", "What is alleged."),
    (
        "finding",
        "Finalised Schedule 3 cases",
        "no_case, not_proven, misconduct, gross, "
        "no_misconduct, pri, acceptable, not_acceptable, nfa or withdrawn (or the label); "
        "blank outside Schedule 3 and for open cases.",
    ),
    (
        "action",
        "No",
        "none, rprp, ww, fww, rir, dismissal, would_dismiss, learning, or the "
        "legacy mgmt_advice, mgmt_action, dismissal_notice (2012 regime only); blank = none. "
        "For police staff and PCSOs (not under the Conduct Regulations): the code or name of an "
        "outcome on the force's staff disciplinary outcome list.",
    ),
    (
        "force_code",
        "No (column optional)",
        "Code of the subject's force, needed only when the same number exists in several forces.",
    ),
    (
        "forum",
        "No (column optional)",
        "meeting, hearing or accelerated_hearing: where a 2020-regime outcome was decided. "
        "Blank: a hearing for gross misconduct, else a meeting.",
    ),
    (
        "prior_warning",
        "No (column optional)",
        "yes when, at a hearing for misconduct, a final written warning was live or several "
        "unconnected matters were proven (CR 2020 reg 42(5)); blank = no.",
    ),
]
CASE_COLUMNS = ["received_on", "recorded_on", "finalised_on", "case_type", "handling"]
# C&M Regs 2020 and Conduct Regs 2020 apply to matters from 1 February 2020 (DOMAIN.md).
REGIME_2020_FROM = datetime.date(2020, 2, 1)
SERVICE_FINDINGS = {Finding.SERVICE_ACCEPTABLE, Finding.SERVICE_NOT_ACCEPTABLE, Finding.NFA}
PROVEN = {Finding.MISCONDUCT_PROVEN, Finding.GROSS_MISCONDUCT_PROVEN}
PROVEN_ACTIONS = {
    Action.NONE,
    Action.WRITTEN_WARNING,
    Action.FINAL_WRITTEN_WARNING,
    Action.REDUCTION_IN_RANK,
    Action.DISMISSAL,
    Action.WOULD_HAVE_BEEN_DISMISSED,
} | Action.legacy()
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class RowError:
    row: int | None  # None: about the file as a whole
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}" if self.row else self.message


@dataclass
class LegacyAllegation:
    row: int
    category: AllegationCategory
    subject: Person | None
    summary: str
    finding: str
    action: str
    staff_outcome: StaffOutcomeKind | None = None


@dataclass
class LegacyCase:
    legacy_reference: str
    row: int
    received_on: datetime.date
    recorded_on: datetime.date | None
    finalised_on: datetime.date | None
    case_type: str
    handling: str
    allegations: list[LegacyAllegation] = field(default_factory=list)

    @property
    def regime(self) -> str:
        return Regime.R2020 if self.received_on >= REGIME_2020_FROM else Regime.R2012


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, empty, columns)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed), or a message naming the row at fault."""
    if not data.strip():
        raise ImportFileError([RowError(None, "The file is empty.")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(
            [
                RowError(
                    None,
                    f"The file is not UTF-8 text: row {row} has the byte "
                    f"0x{data[exc.start]:02X}, which UTF-8 does not allow. Save it as "
                    "“CSV UTF-8” and try again.",
                )
            ]
        ) from None


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and (row number, {column: value}) for each non-blank data row."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        records = list(reader)
    except csv.Error as exc:
        raise ImportFileError([RowError(None, f"The file is not a readable CSV: {exc}.")]) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportFileError([RowError(None, "The file is empty.")])
    header = [name.strip().lower() for name in records[0]]
    check_columns(header)
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            rows.append((index, {"__width__": str(len(record))}))
            continue
        rows.append(
            (index, {name: value.strip() for name, value in zip(header, record, strict=True)})
        )
    if not rows:
        raise ImportFileError([RowError(None, "The file has a header row but no allegations.")])
    return header, rows


def check_columns(header: list[str]) -> None:
    errors = []
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name or "(blank)" for name in header if name not in COLUMNS + OPTIONAL_COLUMNS]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if missing:
        errors.append(RowError(1, f"missing column(s): {', '.join(missing)}."))
    if unknown:
        errors.append(RowError(1, f"unknown column(s): {', '.join(unknown)}."))
    if repeated:
        errors.append(RowError(1, f"repeated column(s): {', '.join(repeated)}."))
    if errors:
        expected = ", ".join(COLUMNS)
        errors.append(
            RowError(
                None,
                f"The columns must be: {expected} "
                "(and optionally force_code, forum, prior_warning).",
            )
        )
        raise ImportFileError(errors)


def _choice(value: str, choices) -> str | None:
    """A TextChoices value given as its code or its label (not case-sensitive)."""
    wanted = value.strip().lower()
    for code, label in choices.choices:
        if wanted in (code.lower(), label.lower()):
            return code
    return None


def _date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


class Lookups:
    """Reference data for the whole file, loaded with a fixed number of queries."""

    def __init__(self, rows: list[tuple[int, dict]]):
        self.categories = {}
        for category in AllegationCategory.objects.select_related("parent"):
            self.categories.setdefault(str(category).lower(), category)
            if category.parent_id is None:
                self.categories.setdefault(category.name.lower(), category)
        numbers = {r.get("subject_number", "").upper() for _, r in rows} - {""}
        self.people: dict[str, list[Person]] = {}
        people = Person.objects.annotate(number_upper=Upper("number")).filter(
            number_upper__in=numbers
        )
        for person in people.select_related("force", "rank"):
            self.people.setdefault(person.number_upper, []).append(person)
        self.staff_outcomes: dict[str, StaffOutcomeKind] = {}
        for kind in StaffOutcomeKind.objects.all():
            self.staff_outcomes.setdefault(kind.code.lower(), kind)
            self.staff_outcomes.setdefault(kind.name.lower(), kind)
        self.today = timezone.localdate()

    def person(self, number: str, force_code: str) -> tuple[Person | None, str]:
        matches = self.people.get(number.upper(), [])
        if force_code:
            matches = [p for p in matches if p.force.code.lower() == force_code.lower()]
        if not matches:
            where = f" in force {force_code}" if force_code else ""
            return None, f"no one with number “{number}”{where} is in the personnel register."
        if len(matches) > 1:
            return None, f"number “{number}” belongs to people in several forces: give force_code."
        return matches[0], ""


def _case_fields(row: dict, errors: list[str], today: datetime.date) -> dict:
    fields = {}
    for name in ("received_on", "recorded_on", "finalised_on"):
        value = row[name]
        if not value:
            fields[name] = None
            continue
        try:
            fields[name] = _date(value)
        except ValueError:
            errors.append(f"{name} “{value}” is not a date (use YYYY-MM-DD or DD/MM/YYYY).")
            fields[name] = None
            continue
        if fields[name] > today:
            errors.append(f"{name} {fields[name]:%d/%m/%Y} is in the future.")
    if not row["received_on"]:
        errors.append("received_on is required.")
    fields["case_type"] = _choice(row["case_type"], CaseType)
    if fields["case_type"] is None:
        errors.append(
            f"case_type “{row['case_type']}” is not one of: {', '.join(CaseType.values)}."
        )
    fields["handling"] = _choice(row["handling"], Handling)
    if fields["handling"] is None:
        errors.append(f"handling “{row['handling']}” is not one of: sch3, outside.")
    _check_case_rules(fields, errors)
    return fields


def _check_case_rules(fields: dict, errors: list[str]) -> None:
    received, recorded, finalised = (
        fields["received_on"],
        fields["recorded_on"],
        fields["finalised_on"],
    )
    if fields["handling"] == Handling.OUTSIDE_SCHEDULE_3:
        if fields["case_type"] not in (None, CaseType.COMPLAINT):
            errors.append("only complaints can be handled outside Schedule 3.")
        if recorded:
            errors.append("recorded_on must be blank for a case handled outside Schedule 3.")
    elif fields["handling"] == Handling.SCHEDULE_3 and not recorded:
        errors.append("recorded_on is required for a case recorded under Schedule 3.")
    if received and recorded and recorded < received:
        errors.append("recorded_on is before received_on.")
    if finalised and (recorded or received) and finalised < (recorded or received):
        errors.append("finalised_on is before the case was recorded (or received).")


def _allegation_fields(
    row: dict, case: dict, lookups: Lookups, errors: list[str], number: int = 1
) -> dict:
    category = lookups.categories.get(row["category"].lower())
    if category is None:
        errors.append(f"unknown category “{row['category']}”.")
    subject = None
    if row["subject_number"]:
        subject, problem = lookups.person(row["subject_number"], row.get("force_code", ""))
        if problem:
            errors.append(problem)
    if not row["summary"]:
        errors.append("summary is required.")
    finding = _choice(row["finding"], Finding) if row["finding"] else ""
    if finding is None:
        errors.append(f"unknown finding “{row['finding']}”.")
    staff_outcome = None
    if is_police_staff(subject) and row["action"]:
        staff_outcome = lookups.staff_outcomes.get(row["action"].strip().lower())
    action = Action.NONE
    if staff_outcome is None:
        action = _choice(row["action"], Action) if row["action"] else Action.NONE
    if action is None:
        errors.append(f"unknown action “{row['action']}”.")
    forum = _choice(row.get("forum", ""), Forum) if row.get("forum") else ""
    if forum is None:
        errors.append(f"forum “{row['forum']}” is not one of: {', '.join(Forum.values[1:])}.")
    prior = row.get("prior_warning", "").strip().lower()
    if prior not in ("", "yes", "no"):
        errors.append(f"prior_warning “{row['prior_warning']}” is not yes or no.")
    if finding is not None and action is not None and forum is not None:
        outcome = Proposed(finding, action, staff_outcome, forum, prior == "yes")
        _check_outcome(outcome, subject, bool(row["subject_number"]), case, errors, number)
    return {
        "category": category,
        "subject": subject,
        "summary": row["summary"],
        "finding": finding or "",
        "action": action or Action.NONE,
        "staff_outcome": staff_outcome,
    }


@dataclass
class Proposed:
    """A row's outcome as read, before it is checked."""

    finding: str
    action: str
    staff_outcome: StaffOutcomeKind | None
    forum: str
    prior: bool


def _legacy_track(outcome: Proposed, subject: Person) -> SubjectTrack:
    """The subject's track as the legacy outcome leaves it (unsaved): what the live rule
    judges an outcome against."""
    if outcome.finding in PROVEN | {Finding.NOT_PROVEN}:
        gross = outcome.finding == Finding.GROSS_MISCONDUCT_PROVEN
        forum = outcome.forum or (Forum.HEARING if gross else Forum.MEETING)
        severity = Severity.GROSS_MISCONDUCT if gross else Severity.MISCONDUCT
        return SubjectTrack(
            person=subject, state=TrackState.OUTCOME, forum=forum, severity=severity
        )
    if outcome.finding == Finding.PRI or outcome.action == Action.RPRP:
        return SubjectTrack(person=subject, state=TrackState.RPRP_COMPLETE, severity=Severity.PRI)
    return SubjectTrack(person=subject, state=TrackState.NO_ACTION)


def _live_rule_refusal(outcome: Proposed, subject: Person | None, number: int) -> str | None:
    """The live services' outcome rule (CR 2020 reg 42; the staff list for police staff)."""
    track = _legacy_track(outcome, subject) if subject is not None else None
    data = OutcomeData(
        allegation=Allegation(number=number),
        track=track,
        finding=outcome.finding,
        action=outcome.action,
        prior_warning_or_several_matters=outcome.prior,
        staff_outcome=outcome.staff_outcome,
    )
    try:
        validate_outcome(Case(regime=Regime.R2020), data)
    except DomainError as error:
        return error.message
    return None


def _check_outcome(
    outcome: Proposed, subject, has_subject: bool, case: dict, errors, number: int
) -> None:
    finding, action = outcome.finding, outcome.action
    if case["handling"] == Handling.OUTSIDE_SCHEDULE_3:
        if finding or action != Action.NONE:
            errors.append("finding and action must be blank outside Schedule 3.")
        return
    if not case["finalised_on"]:
        if finding or action != Action.NONE:
            errors.append("a case that is not finalised has no finding or action yet.")
        return
    if not finding:
        errors.append("finding is required for a finalised case.")
        return
    received = case["received_on"]
    if action in Action.legacy() and received and received >= REGIME_2020_FROM:
        errors.append(
            f"“{Action(action).label}” does not exist for matters received from 1 February "
            "2020 (2020 regime)."
        )
        return
    if received and received >= REGIME_2020_FROM and finding != Finding.WITHDRAWN:
        if has_subject and subject is None:
            return  # the unknown subject is reported already
        sentence = _live_rule_refusal(outcome, subject, number)
        if sentence:
            errors.append(sentence)
        return
    if outcome.staff_outcome is not None or outcome.forum or outcome.prior:
        errors.append(
            "staff outcomes, forum and prior_warning are read for 2020-regime outcomes only."
        )
        return
    if not has_subject:
        if finding not in SERVICE_FINDINGS | {Finding.WITHDRAWN}:
            errors.append(
                "an allegation about the force's service (no subject_number) is found "
                "acceptable, not_acceptable or nfa, or withdrawn."
            )
        elif action not in (Action.NONE, Action.LEARNING):
            errors.append("only learning or no action can follow for the force's service.")
    elif finding in PROVEN and action not in PROVEN_ACTIONS:
        errors.append(f"“{Action(action).label}” cannot follow proven misconduct.")
    elif finding == Finding.NOT_PROVEN and action not in (Action.NONE, Action.RPRP):
        errors.append("when not proven, only reflective practice or no action can follow.")
    elif finding == Finding.PRI and action != Action.RPRP:
        errors.append("practice requiring improvement leads to reflective practice (rprp).")
    elif finding not in PROVEN and action in PROVEN_ACTIONS - {Action.NONE}:
        errors.append(f"“{Action(action).label}” needs a finding of misconduct proven.")


def parse(data: bytes, *, progress=None, every: int = 1000) -> tuple[list[LegacyCase], list]:
    """Every row checked; returns the cases to create and ALL the problems found.

    ``progress(done, total)`` is called every ``every`` rows. File-level problems (encoding,
    columns, empty) raise ImportFileError, since no row can be read.
    """
    _header, rows = read_rows(decode(data))
    lookups = Lookups(rows)
    cases: dict[str, LegacyCase] = {}
    first_values: dict[str, tuple[int, dict]] = {}
    numbers: dict[str, int] = {}  # allegations read so far per case: the next one's number
    errors: list[RowError] = []
    for done, (number, row) in enumerate(rows, start=1):
        problems: list[str] = []
        if "__width__" in row:
            errors.append(RowError(number, "it has a different number of cells from the header."))
            continue
        reference = row["legacy_reference"]
        if not reference:
            problems.append("legacy_reference is required.")
        elif len(reference) > 60:
            problems.append("legacy_reference is longer than 60 characters.")
        case_fields = _case_fields(row, problems, lookups.today)
        numbers[reference] = numbers.get(reference, 0) + 1
        allegation = _allegation_fields(row, case_fields, lookups, problems, numbers[reference])
        if reference in first_values:
            first_row, first = first_values[reference]
            differ = [name for name in CASE_COLUMNS if row[name] != first[name]]
            if differ:
                problems.append(
                    f"{', '.join(differ)} differ(s) from row {first_row} of the same case "
                    f"“{reference}”."
                )
        elif reference:
            first_values[reference] = (number, row)
        errors.extend(RowError(number, problem) for problem in problems)
        if not problems:
            case = cases.get(reference)
            if case is None:
                case = cases[reference] = LegacyCase(
                    legacy_reference=reference, row=number, **case_fields
                )
            case.allegations.append(LegacyAllegation(row=number, **allegation))
        if progress and done % every == 0:
            progress(done, len(rows))
    if progress and len(rows) % every:
        progress(len(rows), len(rows))
    return list(cases.values()), errors
