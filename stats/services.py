"""Importing historic allegations: every row checked first, then all of them or none."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from audit.services import audit_event
from cases.models import (
    Action,
    Allegation,
    AllegationSubject,
    Case,
    CaseTransition,
    Decision,
    DecisionKind,
    DecisionStatus,
    Finding,
    Handling,
    Outcome,
    OutcomeStatus,
    ReferenceCounter,
    Severity,
    Source,
    State,
    SubjectTrack,
    TrackState,
)
from cases.services import live_until
from cases.services.intake import allocate_reference
from cases.services.staff import staff_live_until
from psd.domain import DomainError, PermissionDenied

from . import legacy_csv
from .legacy_csv import ImportFileError, LegacyCase, RowError
from .models import ImportBatch, ImportedCase

IMPORT_PERMISSION = "stats.import_allegations"
BATCH_SIZE = 500


class ImportRefused(DomainError):
    """The file has problems: nothing was imported. ``errors`` lists every one of them."""

    def __init__(self, errors: list[RowError]):
        count = len(errors)
        super().__init__(
            f"Nothing was imported: the file has {count} problem{'s' if count != 1 else ''}."
        )
        self.errors = errors


@dataclass
class ImportResult:
    rows: int
    cases: int
    allegations: int
    outcomes: int
    dry_run: bool
    batch: ImportBatch | None = None
    references: list[str] = field(default_factory=list)


def allegations_import(
    *,
    actor: User,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress=None,
    every: int = 1000,
) -> ImportResult:
    """Import a legacy CSV (``stats.legacy_csv`` documents the columns) in ONE transaction.

    Every row is checked before anything is written; any problem refuses the whole file with
    ImportRefused listing all of them. A dry run does the whole import, then rolls it back.
    ``progress(stage, done, total)`` reports every ``every`` rows ("checked", "imported").
    """
    if actor is None or not actor.is_active or not actor.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied("Your role does not allow importing allegations.")
    checked = (lambda done, total: progress("checked", done, total)) if progress else None
    try:
        cases, errors = legacy_csv.parse(data, progress=checked, every=every)
    except ImportFileError as exc:
        raise ImportRefused(exc.errors) from None
    errors.extend(_already_imported(cases))
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row or 0))
    with transaction.atomic():
        result = _create(actor, cases, data, filename, progress, every)
        result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
            result.batch = None
    return result


def _already_imported(cases: list[LegacyCase]) -> list[RowError]:
    references = {case.legacy_reference: case for case in cases}
    existing = ImportedCase.objects.filter(legacy_reference__in=list(references)).values_list(
        "legacy_reference", "case__reference"
    )
    return [
        RowError(
            references[legacy].row,
            f"legacy case “{legacy}” was imported before, as {reference}.",
        )
        for legacy, reference in existing
    ]


def _noon(day: datetime.date) -> datetime.datetime:
    """Legacy systems keep dates only: finalised at midday, Europe/London."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _case_state(case: LegacyCase) -> str:
    if case.handling == Handling.OUTSIDE_SCHEDULE_3:
        return State.FINALISED if case.finalised_on else State.OUTSIDE_SCH3
    if not case.finalised_on:
        return State.RECORDED
    if all(a.finding == Finding.WITHDRAWN for a in case.allegations):
        return State.WITHDRAWN
    return State.FINALISED


def _track_fields(findings: list[tuple[str, str]]) -> dict:
    """A subject's track as the legacy outcomes leave it (most serious outcome wins)."""
    if any(f in legacy_csv.PROVEN for f, _ in findings):
        gross = any(f == Finding.GROSS_MISCONDUCT_PROVEN for f, _ in findings)
        severity = Severity.GROSS_MISCONDUCT if gross else Severity.MISCONDUCT
        return {"state": TrackState.OUTCOME, "severity": severity}
    if any(a == Action.RPRP for _, a in findings):
        return {"state": TrackState.RPRP_COMPLETE, "severity": Severity.PRI}
    if any(f == Finding.NOT_PROVEN for f, _ in findings):
        return {"state": TrackState.OUTCOME, "severity": Severity.MISCONDUCT}
    return {"state": TrackState.NO_ACTION, "severity": ""}


def _create(actor, cases, data, filename, progress, every) -> ImportResult:
    rows = sum(len(case.allegations) for case in cases)
    batch = ImportBatch.objects.create(
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        imported_by=actor,
        rows=rows,
        cases=len(cases),
        allegations=rows,
        outcomes=0,
    )
    result = ImportResult(rows=rows, cases=0, allegations=0, outcomes=0, dry_run=False)
    done = 0
    for start in range(0, len(cases), BATCH_SIZE):
        chunk = cases[start : start + BATCH_SIZE]
        outcomes = _create_chunk(actor, batch, chunk)
        result.cases += len(chunk)
        result.allegations += sum(len(c.allegations) for c in chunk)
        result.outcomes += outcomes
        result.references.extend(c.legacy_reference for c in chunk)
        before, done = done, done + sum(len(c.allegations) for c in chunk)
        if progress and (done // every > before // every or done == rows):
            progress("imported", done, rows)
    batch.outcomes = result.outcomes
    batch.save(update_fields=["outcomes"])
    audit_event(
        actor=actor,
        action="stats.allegations_imported",
        obj=batch,
        data={"rows": rows, "cases": result.cases, "outcomes": result.outcomes},
    )
    result.batch = batch
    return result


def _references(chunk: list[LegacyCase]) -> list[str]:
    """References from the normal allocator, a block per year: the first number comes from
    ``allocate_reference`` (which locks the year's counter row until the import commits), the
    rest of the block is taken in one update of that locked row, so the numbers stay gapless
    and race-free at one query per year instead of three per case."""
    years: dict[int, list[int]] = {}
    for index, case in enumerate(chunk):
        years.setdefault(case.received_on.year, []).append(index)
    references = [""] * len(chunk)
    for year, indexes in years.items():
        first = allocate_reference(year)
        prefix, number = first.rsplit("-", 1)
        if len(indexes) > 1:
            ReferenceCounter.objects.filter(year=year).update(last=F("last") + len(indexes) - 1)
        for offset, index in enumerate(indexes):
            references[index] = f"{prefix}-{int(number) + offset:0{len(number)}d}"
    return references


def _create_chunk(actor, batch, chunk: list[LegacyCase]) -> int:
    """Create one chunk of cases with their allegations, subjects, tracks and outcomes."""
    rationale = f"Imported from {batch.filename} (import batch {batch.pk})."
    created = Case.objects.bulk_create(
        [
            Case(
                reference=reference,
                case_type=case.case_type,
                regime=case.regime,
                source=Source.PUBLIC if case.case_type == "complaint" else Source.OTHER,
                summary=case.allegations[0].summary,
                received_on=case.received_on,
                recorded_on=case.recorded_on,
                handling=case.handling,
                finalised_at=_noon(case.finalised_on) if case.finalised_on else None,
                state=_case_state(case),
                created_by=actor,
            )
            for case, reference in zip(chunk, _references(chunk), strict=True)
        ]
    )
    pairs = list(zip(chunk, created, strict=True))
    ImportedCase.objects.bulk_create(
        [ImportedCase(batch=batch, case=c, legacy_reference=lc.legacy_reference) for lc, c in pairs]
    )
    CaseTransition.objects.bulk_create(
        [
            CaseTransition(
                case=c,
                name="import",
                from_state="",
                to_state=c.state,
                actor=actor,
                reason=rationale,
            )
            for _, c in pairs
        ]
    )
    allegations = Allegation.objects.bulk_create(
        [
            Allegation(
                case=c,
                number=number,
                summary=a.summary,
                category=a.category,
                about_force=a.subject is None,
                withdrawn=a.finding == Finding.WITHDRAWN,
            )
            for lc, c in pairs
            for number, a in enumerate(lc.allegations, start=1)
        ]
    )
    legacy = [a for lc, _ in pairs for a in lc.allegations]
    AllegationSubject.objects.bulk_create(
        [
            AllegationSubject(allegation=allegation, person=a.subject)
            for a, allegation in zip(legacy, allegations, strict=True)
            if a.subject is not None
        ]
    )
    tracks = _create_tracks(pairs)
    decisions = _create_decisions(actor, pairs, rationale)
    outcomes = []
    for (lc, c), allegation_rows in zip(pairs, _split(allegations, pairs), strict=True):
        if c.pk not in decisions:
            continue
        for a, allegation in zip(lc.allegations, allegation_rows, strict=True):
            outcomes.append(
                Outcome(
                    allegation=allegation,
                    track=tracks.get((c.pk, a.subject.pk)) if a.subject else None,
                    decision=decisions[c.pk],
                    finding=a.finding,
                    action=a.action,
                    staff_outcome=a.staff_outcome,
                    effective_on=lc.finalised_on,
                    live_until=live_until(a.action, lc.finalised_on)
                    or staff_live_until(a.staff_outcome, lc.finalised_on),
                    rationale=rationale,
                    status=OutcomeStatus.APPROVED,
                )
            )
    Outcome.objects.bulk_create(outcomes)
    return len(outcomes)


def _split(allegations: list[Allegation], pairs) -> list[list[Allegation]]:
    out, index = [], 0
    for lc, _ in pairs:
        out.append(allegations[index : index + len(lc.allegations)])
        index += len(lc.allegations)
    return out


def _create_tracks(pairs) -> dict[tuple[int, int], SubjectTrack]:
    findings: dict[tuple[int, int], list] = {}
    finalised: dict[tuple[int, int], datetime.date | None] = {}
    people = {}
    for lc, c in pairs:
        for a in lc.allegations:
            if a.subject is None:
                continue
            key = (c.pk, a.subject.pk)
            people[key] = (c, a.subject)
            finalised[key] = lc.finalised_on
            if lc.finalised_on and lc.handling == Handling.SCHEDULE_3:
                findings.setdefault(key, []).append((a.finding, a.action))
    tracks = []
    for key, (case, person) in people.items():
        fields = _track_fields(findings[key]) if key in findings else {"state": TrackState.PENDING}
        concluded = finalised[key] if key in findings else None
        tracks.append(SubjectTrack(case=case, person=person, concluded_on=concluded, **fields))
    created = SubjectTrack.objects.bulk_create(tracks)
    return {(t.case.pk, t.person.pk): t for t in created}


def _create_decisions(actor, pairs, rationale) -> dict[int, Decision]:
    """One approved outcome decision per finalised Schedule 3 case (the legacy system's)."""
    now = timezone.now()
    wanted = [c for lc, c in pairs if lc.finalised_on and lc.handling == Handling.SCHEDULE_3]
    created = Decision.objects.bulk_create(
        [
            Decision(
                case=c,
                kind=DecisionKind.OUTCOME,
                rationale=rationale,
                status=DecisionStatus.APPROVED,
                proposed_by=actor,
                decided_by=actor,
                decided_at=now,
                decision_reason="Outcome recorded in the legacy system.",
            )
            for c in wanted
        ]
    )
    return {d.case.pk: d for d in created}
