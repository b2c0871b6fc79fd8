"""People, their clearances and the re-vetting deadline each clearance brings (COPY)."""

from __future__ import annotations

import datetime
import random

from django.db import connection

from accounts.models import Person, PersonStatus, RoleType
from vetting.models import Clearance, ClearanceEvent, ClearanceEventKind

from .deadline_rows import DeadlineRows, at_ten
from .mix import PERSON_ROLES, PERSON_STATUS
from .names import Names
from .reference import Reference
from .writer import TableWriter

PERSON_FIELDS = [
    "id",
    "force",
    "forename",
    "surname",
    "date_of_birth",
    "number",
    "role_type",
    "rank",
    "department",
    "status",
    "line_manager",
    "created_at",
]
FLUSH_EVERY = 20000


class PeopleWriter:
    def __init__(self, rng: random.Random, ref: Reference, deadlines: DeadlineRows, ids: dict):
        self.rng, self.ref, self.deadlines = rng, ref, deadlines
        self.names = Names(rng)
        self.ids = ids  # next primary key per table: "person", "clearance", "event"
        self.people = TableWriter(connection, Person, PERSON_FIELDS)
        self.clearances = TableWriter(
            connection,
            Clearance,
            ["id", "person", "level", "granted_on", "expires_on", "status", "created_at"],
        )
        self.events = TableWriter(
            connection, ClearanceEvent, ["id", "clearance", "kind", "on", "note", "recorded_at"]
        )
        self.people_ids: list[int] = []

    def run(self, count: int, created: datetime.datetime, anchor: datetime.date) -> dict:
        per_force = -(-count // len(self.ref.forces))
        writers = (self.people, self.clearances, self.events, self.deadlines.writer)
        for i in range(count):
            status = self._person(i, per_force, created)
            serving = status in (PersonStatus.SERVING, PersonStatus.SUSPENDED)
            if serving and self.rng.random() < 0.92:
                self._clearance(self.people_ids[-1], f"{i % per_force + 1:06d}", anchor)
            if len(self.people.rows) >= FLUSH_EVERY:
                for writer in writers:
                    writer.flush()
        for writer in writers:
            writer.flush()
        return {
            "people": self.people.written,
            "clearances": self.clearances.written,
            "clearance_events": self.events.written,
            "revetting_deadlines": self.deadlines.writer.written,
        }

    def _person(self, i: int, per_force: int, created: datetime.datetime) -> str:
        rng, ref = self.rng, self.ref
        pid = self.ids["person"]
        self.ids["person"] += 1
        role = PERSON_ROLES.draw(rng)[0]
        rank = (
            rng.choices(ref.ranks, ref.rank_weights)[0] if role in RoleType.holding_rank() else None
        )
        status = PERSON_STATUS.draw(rng)[0]
        manager = pid - rng.randint(1, 50) if i % per_force > 50 and rng.random() < 0.3 else None
        born = datetime.date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28))
        self.people.add(
            pid,
            ref.forces[i // per_force],
            self.names.forename(),
            self.names.surname(),
            born,
            f"{i % per_force + 1:06d}",
            role,
            rank,
            rng.choice(ref.departments),
            status,
            manager,
            created,
        )
        self.people_ids.append(pid)
        return status

    def _clearance(self, pid: int, number: str, anchor: datetime.date) -> None:
        """An active clearance granted within its renewal interval (a few already past expiry,
        so the re-vetting sweep has work), expiring when the level's rule says
        (``VettingLevel.expiry_for``: ``deadlines.calendar.add_months``)."""
        level = self.rng.choice(self.ref.levels)
        span = level.renewal_months * 30
        granted = anchor - datetime.timedelta(days=self.rng.randint(1, span + span // 25))
        expires = level.expiry_for(granted)
        cid, eid = self.ids["clearance"], self.ids["event"]
        self.ids["clearance"] += 1
        self.ids["event"] += 1
        at = at_ten(granted)
        self.clearances.add(cid, pid, level.pk, granted, expires, "active", at)
        self.events.add(eid, cid, ClearanceEventKind.GRANTED, granted, "", at)
        # vetting.revetting: the deadline's trigger is today, or the due date if earlier.
        self.deadlines.open(
            "revetting_due",
            (self.ref.content_types["person"], pid),
            f"Re-vetting: {number}",
            self.ref.urls["person"].format(pid),
            min(anchor, expires),
            None,
            None,
            due=expires,
        )
