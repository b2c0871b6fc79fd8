"""Synthetic national-scale data: people, clearances, cases with legal histories, allegations,
subjects, outcomes, deadlines and audit rows.

Deterministic for a seed: one ``random.Random(seed)``, a fixed ``anchor`` date ("today" for
the data), primary keys allocated by the generator, timestamps derived from the data.
Fast: rows are streamed in chunks of cases and written with PostgreSQL ``COPY``; the audit
row triggers are bypassed for the load (``session_replication_role = replica``) and the
audit trail then gets one chained ``case.created`` event per case plus one summary event,
written through the chain trigger so ``audit_verify`` still passes.

The parts: ``lifecycle`` (the walks, from the state machines), ``reference`` (forces, teams,
staff), ``people`` (people and vetting), ``cases`` (cases and everything on them),
``deadline_rows`` (deadlines dated by the deadlines app's rules), ``names`` and ``mix`` (what
the data is drawn from).
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction

from accounts.models import Person
from audit.context import maintenance
from audit.models import AuditEntry
from cases.models import (
    Allegation,
    AllegationSubject,
    Case,
    CaseTransition,
    Complainant,
    Decision,
    Outcome,
    ReferenceCounter,
    SubjectTrack,
)
from deadlines.models import Deadline
from vetting.models import Clearance, ClearanceEvent

from .cases import CaseWriter
from .deadline_rows import Clocks, DeadlineRows, at_ten
from .lifecycle import lifecycle
from .mix import ALLEGATIONS_PER_CASE
from .models import GeneratedDataset
from .people import PeopleWriter
from .reference import Reference, load_reference
from .version import GENERATOR_VERSION
from .writer import next_id

DEFAULT_ANCHOR = datetime.date(2026, 11, 1)
DEFAULT_YEARS = 10
# Tables whose sequences move on past the keys the generator allocated.
WRITTEN = [
    Person,
    Clearance,
    ClearanceEvent,
    Deadline,
    Case,
    Complainant,
    Allegation,
    SubjectTrack,
    AllegationSubject,
    Decision,
    Outcome,
    CaseTransition,
]


@dataclass
class Plan:
    allegations: int
    people: int
    seed: int
    anchor: datetime.date = DEFAULT_ANCHOR
    years: int = DEFAULT_YEARS
    progress: bool = False


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Generator:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.rng = random.Random(plan.seed)  # nosec B311: reproducible synthetic data
        self.start = plan.anchor - datetime.timedelta(days=365 * plan.years)

    def _load(self, ref: Reference, counts: Counts) -> None:
        """People, then cases (the cases' subjects are drawn from the people)."""
        plan = self.plan
        clocks = Clocks()
        revetting = DeadlineRows(clocks, next_id(Deadline))
        ids = {
            "person": next_id(Person),
            "clearance": next_id(Clearance),
            "event": next_id(ClearanceEvent),
        }
        people = PeopleWriter(self.rng, ref, revetting, ids)
        counts.rows.update(people.run(plan.people, at_ten(self.start, 9), plan.anchor))
        cases = CaseWriter(
            self.rng, ref, lifecycle(), DeadlineRows(clocks, revetting.next_id), plan.anchor
        )
        cases.people_ids = people.people_ids
        sizes, received = self._planned_cases()
        years: dict[int, int] = dict(ReferenceCounter.objects.values_list("year", "last"))
        bar = _progress(len(sizes), plan.progress)
        counts.rows.update(cases.run(_references(sizes, received, years), bar))
        bar.close()
        for year, last in years.items():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})

    def _planned_cases(self) -> tuple[list[int], list[datetime.date]]:
        """The number of allegations and the day received of every case, oldest first."""
        plan, rng = self.plan, self.rng
        sizes: list[int] = []
        total = 0
        while total < plan.allegations:
            n = min(rng.choices(*ALLEGATIONS_PER_CASE)[0], plan.allegations - total)
            sizes.append(n)
            total += n
        span = (plan.anchor - self.start).days
        received = sorted(self.start + datetime.timedelta(days=rng.randrange(span)) for _ in sizes)
        return sizes, received

    def _audit(self, first_case: int, counts: Counts) -> None:
        """One chained event per generated case, through the chain trigger (in order)."""
        table = AuditEntry._meta.db_table
        now = (
            "clock_timestamp()"
            if connection.vendor == "postgresql"
            else ("strftime('%Y-%m-%d %H:%M:%f', 'now')")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (created_at, kind, action, table_name, object_pk, "  # noqa: S608  # nosec B608
                "target_label, actor_id, request_id, reason, old_row, new_row, data, prev_hash, "
                f"hash) SELECT {now}, 'event', 'case.created', 'cases_case', "
                "CAST(id AS TEXT), reference, created_by_id, '', %s, NULL, NULL, NULL, '', '' "
                "FROM cases_case WHERE id >= %s ORDER BY id",
                ["Synthetic data (generate_data)", first_case],
            )
            counts.rows["audit_events"] = cursor.rowcount

    def _bulk_load(self, ref: Reference, counts: Counts) -> None:
        if connection.vendor != "postgresql":
            with maintenance():
                self._load(ref, counts)
            return
        with connection.cursor() as cursor:
            # Row triggers (audit capture and FK checks) are skipped for the bulk load; the
            # data is consistent by construction and the audit events follow.
            cursor.execute("SET LOCAL session_replication_role = replica")
        self._load(ref, counts)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")

    def run(self) -> Counts:
        counts = Counts()
        began = time.perf_counter()
        with transaction.atomic():
            # Forces, teams and staff through the ORM (audited as usual), then the bulk load.
            ref = load_reference(self.plan.people, self.plan.allegations)
            first_case = next_id(Case)
            self._bulk_load(ref, counts)
            self._audit(first_case, counts)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), WRITTEN):
                    cursor.execute(sql)
            counts.seconds = time.perf_counter() - began
            GeneratedDataset.objects.create(
                allegations=self.plan.allegations,
                people=self.plan.people,
                seed=self.plan.seed,
                generator_version=GENERATOR_VERSION,
                anchor=self.plan.anchor,
                seconds=round(counts.seconds, 1),
                counts=counts.rows,
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        counts.seconds = time.perf_counter() - began
        return counts


def _references(sizes, received, years: dict[int, int]):
    """(reference, allegations, received on) per case, made as they are written (a list of
    675,000 would hold 100 MB); ``years`` moves on to the last number used each year."""
    for n, received_on in zip(sizes, received, strict=True):
        years[received_on.year] = years.get(received_on.year, 0) + 1
        yield f"PSD-{received_on.year}-{years[received_on.year]:06d}", n, received_on


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(total: int, show: bool):
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="case", mininterval=2)


__all__ = ["Counts", "DEFAULT_ANCHOR", "DEFAULT_YEARS", "Generator", "Plan"]
