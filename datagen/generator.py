"""Synthetic national-scale data: people, clearances, cases with legal histories, allegations,
subjects, outcomes, deadlines and audit rows.

Deterministic for a seed: one ``random.Random(seed)``, a fixed ``anchor`` date ("today" for
the data), primary keys allocated by the generator, timestamps derived from the data.
Fast: rows are streamed in chunks of cases and written with PostgreSQL ``COPY``; the audit
row triggers are bypassed for the load (``session_replication_role = replica``) and the
audit trail then gets one chained ``case.created`` event per case plus one summary event,
written through the chain trigger so ``audit_verify`` still passes.
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse

from accounts.models import Department, Force, Person, PersonStatus, Rank, RoleType, Team
from accounts.roles import Role
from audit.context import maintenance
from audit.models import AuditEntry
from cases.models import (
    Action,
    Allegation,
    AllegationCategory,
    AllegationSubject,
    Case,
    CaseTransition,
    CaseType,
    Complainant,
    ComplaintResult,
    Decision,
    DecisionKind,
    DecisionStatus,
    Finding,
    Forum,
    Handling,
    Outcome,
    OutcomeStatus,
    ReferenceCounter,
    Source,
    SubjectTrack,
    TrackState,
)
from deadlines.models import Deadline, DeadlineKind
from vetting.models import Clearance, ClearanceEvent, ClearanceEventKind, VettingLevel

from .models import GeneratedDataset
from .paths import DAYS, NOTICE_PLANS, TRACK_HOOKS, needs_proceedings, plans_for, walk
from .version import GENERATOR_VERSION
from .writer import TableWriter

UTC = datetime.UTC
DEFAULT_ANCHOR = datetime.date(2026, 11, 1)
DEFAULT_YEARS = 10
CHUNK = 5000
ALLEGATIONS_PER_CASE = [1, 2, 3, 4, 5]
ALLEGATIONS_WEIGHTS = [46, 26, 15, 8, 5]
CASE_TYPES = [
    (CaseType.COMPLAINT, 80),
    (CaseType.CONDUCT_MATTER, 13),
    (CaseType.RECORDABLE_CONDUCT_MATTER, 5),
    (CaseType.DSI, 2),
]
SOURCES = {
    CaseType.COMPLAINT: [Source.PUBLIC],
    CaseType.CONDUCT_MATTER: [Source.INTERNAL, Source.ANONYMOUS_REPORT, Source.DATA_AUDIT],
    CaseType.RECORDABLE_CONDUCT_MATTER: [Source.INTERNAL, Source.OTHER],
    CaseType.DSI: [Source.INTERNAL, Source.IOPC],
}
FORENAMES = [
    "Oliver",
    "George",
    "Harry",
    "Jack",
    "Jacob",
    "Noah",
    "Charlie",
    "Thomas",
    "Oscar",
    "William",
    "James",
    "Leo",
    "Alfie",
    "Henry",
    "Joshua",
    "Freddie",
    "Archie",
    "Ethan",
    "Isaac",
    "Alexander",
    "Joseph",
    "Edward",
    "Samuel",
    "Max",
    "Daniel",
    "Arthur",
    "Lucas",
    "Mohammed",
    "Logan",
    "Theo",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Emily",
    "Isabella",
    "Mia",
    "Poppy",
    "Ella",
    "Lily",
    "Sophie",
    "Grace",
    "Evie",
    "Jessica",
    "Sophia",
    "Chloe",
    "Ruby",
    "Freya",
    "Charlotte",
    "Daisy",
    "Alice",
    "Lucy",
    "Sarah",
    "Emma",
    "Hannah",
    "Priya",
    "Aisha",
    "Fatima",
    "Zara",
    "Amir",
    "Ravi",
    "Sanjay",
    "Deepa",
    "Kwame",
    "Abena",
    "Tomasz",
    "Agnieszka",
    "Siobhan",
    "Rhys",
    "Cerys",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Graham",
    "Pearson",
    "Ahmed",
]
SYLLABLES = [
    "ab",
    "ad",
    "al",
    "an",
    "ar",
    "ash",
    "bar",
    "ber",
    "bro",
    "by",
    "cal",
    "car",
    "ches",
    "dal",
    "den",
    "don",
    "ell",
    "em",
    "er",
    "ford",
    "gan",
    "gar",
    "ham",
    "har",
    "hol",
    "ing",
    "ken",
    "kin",
    "lan",
    "ley",
    "lin",
    "lock",
    "mar",
    "mer",
    "mor",
    "nel",
    "ney",
    "ock",
    "on",
    "or",
    "pen",
    "per",
    "ram",
    "ril",
    "ros",
    "sby",
    "sel",
    "son",
    "ster",
    "ston",
    "tan",
    "ter",
    "thorn",
    "ton",
    "vel",
    "ward",
    "well",
    "wick",
    "win",
    "worth",
    "yar",
]
SURNAME_CUM_WEIGHTS = list(
    itertools.accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(SURNAMES)))
)
PERSON_ROLES = [
    (RoleType.OFFICER, 58),
    (RoleType.STAFF, 34),
    (RoleType.PCSO, 5),
    (RoleType.SPECIAL, 3),
]
PERSON_STATUS = [
    (PersonStatus.SERVING, 86),
    (PersonStatus.RESIGNED, 6),
    (PersonStatus.RETIRED, 6),
    (PersonStatus.SUSPENDED, 1),
    (PersonStatus.DISMISSED, 1),
]
DEPARTMENTS = [
    "Response",
    "Neighbourhood policing",
    "CID",
    "Public protection",
    "Roads policing",
    "Custody",
    "Contact management",
    "Intelligence",
    "Firearms",
    "Economic crime",
    "Counter corruption",
    "Digital forensics",
    "Safeguarding",
    "Training",
    "Human resources",
    "Finance",
    "Estates",
    "Information management",
    "Professional standards",
    "Operations support",
]
MEETING_OUTCOMES = [
    (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, 45),
    (Finding.MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING, 15),
    (Finding.MISCONDUCT_PROVEN, Action.NONE, 10),
    (Finding.NOT_PROVEN, Action.NONE, 30),
]
HEARING_OUTCOMES = [
    (Finding.GROSS_MISCONDUCT_PROVEN, Action.DISMISSAL, 35),
    (Finding.GROSS_MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING, 15),
    (Finding.GROSS_MISCONDUCT_PROVEN, Action.REDUCTION_IN_RANK, 5),
    (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, 10),
    (Finding.NOT_PROVEN, Action.NONE, 35),
]
SERVICE_OUTCOMES = [
    (Finding.SERVICE_ACCEPTABLE, Action.NONE, 55),
    (Finding.SERVICE_NOT_ACCEPTABLE, Action.LEARNING, 20),
    (Finding.NFA, Action.NONE, 25),
]
SUMMARIES = [
    "Use of force during arrest",
    "Rude and dismissive manner on the telephone",
    "Failure to investigate a reported crime",
    "Delay in returning seized property",
    "Search of a vehicle without explanation",
    "Disclosure of information to a third party",
    "Inappropriate messages on social media",
    "Driving of a police vehicle",
    "Handling of a missing person report",
    "Treatment in custody",
]


def _pick(rng: random.Random, weighted):
    return rng.choices(weighted, [w[-1] for w in weighted])[0]


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

    # --- helpers ---------------------------------------------------------------------------
    def _next_id(self, model) -> int:
        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def _at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)

    def _surname(self) -> str:
        """About a fifth of people share the hundred commonest surnames (Smith about 2%, as
        in England and Wales); the rest have rarer, generated ones."""
        rng = self.rng
        if rng.random() < 0.2:
            return rng.choices(SURNAMES, cum_weights=SURNAME_CUM_WEIGHTS)[0]
        parts = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
        if rng.random() < 0.5:
            parts += rng.choice(SYLLABLES)
        return parts.capitalize()

    # --- reference data and users (ORM: small) -------------------------------------------
    def _setup(self) -> None:
        plan, _rng = self.plan, self.rng
        n_forces = max(1, min(43, plan.people // 1000))
        self.forces = [
            Force.objects.get_or_create(
                code=f"SYN{i:02d}", defaults={"name": f"Synthetic Constabulary {i:02d}"}
            )[0]
            for i in range(1, n_forces + 1)
        ]
        self.departments = [Department.objects.get_or_create(name=n)[0].pk for n in DEPARTMENTS]
        ranks = list(Rank.objects.order_by("order").values_list("pk", flat=True))
        self.rank_weights = [max(1, 60 // (i + 1) ** 2) for i in range(len(ranks))]
        self.ranks = ranks
        self.categories = list(
            AllegationCategory.objects.filter(active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not self.categories or not ranks:
            raise RuntimeError("reference data missing: run migrate first")
        cases_estimate = plan.allegations // 2 + 1
        n_teams = max(3, min(150, cases_estimate // 4000))
        User = get_user_model()
        groups = {role: Group.objects.get(name=role.label) for role in Role}
        self.teams, self.team_staff = [], []
        members = []
        for t in range(1, n_teams + 1):
            team = Team.objects.get_or_create(name=f"Synthetic PSD team {t:03d}")[0]
            supervisor = User(
                username=f"gen.sup.{t:03d}", first_name="Supervisor", last_name=f"{t}"
            )
            investigators = [
                User(
                    username=f"gen.inv.{t:03d}.{i}", first_name="Investigator", last_name=f"{t}.{i}"
                )
                for i in range(1, 7)
            ]
            for user in [supervisor, *investigators]:
                user.team = team
                user.set_unusable_password()
            User.objects.bulk_create([supervisor, *investigators])
            members += [(supervisor, Role.SUPERVISOR)] + [
                (u, Role.INVESTIGATOR) for u in investigators
            ]
            self.teams.append(team.pk)
            self.team_staff.append((supervisor.pk, [u.pk for u in investigators]))
        heads = [
            User(username=f"gen.aa.{i}", first_name="Authority", last_name=str(i))
            for i in range(1, 5)
        ]
        vetters = [
            User(username=f"gen.vet.{i}", first_name="Vetting", last_name=str(i))
            for i in range(1, 5)
        ]
        for user in heads + vetters:
            user.set_unusable_password()
        User.objects.bulk_create(heads + vetters)
        members += [(u, Role.APPROPRIATE_AUTHORITY) for u in heads]
        members += [(u, Role.VETTING_OFFICER) for u in vetters]
        Through = User.groups.through
        Through.objects.bulk_create(
            [Through(user_id=u.pk, group_id=groups[role].pk) for u, role in members]
        )
        self.heads = [u.pk for u in heads]
        self.vetters = [u.pk for u in vetters]
        self.levels = list(
            VettingLevel.objects.filter(renewal_months__isnull=False)
            .order_by("order")
            .values_list("pk", "renewal_months")
        )
        self.kinds = dict(DeadlineKind.objects.values_list("code", "pk"))
        self.ct_person = ContentType.objects.get_for_model(Person).pk
        self.ct_case = ContentType.objects.get_for_model(Case).pk
        self.ct_track = ContentType.objects.get_for_model(SubjectTrack).pk
        self.case_url = reverse("cases:detail", args=["REF"]).replace("REF", "{}")

    # --- people and vetting ----------------------------------------------------------------
    def _people(self, counts: Counts) -> None:
        plan, rng = self.plan, self.rng
        people = TableWriter(
            connection,
            Person,
            [
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
            ],
        )
        clearances = TableWriter(
            connection,
            Clearance,
            ["id", "person", "level", "granted_on", "expires_on", "status", "created_at"],
        )
        events = TableWriter(
            connection, ClearanceEvent, ["id", "clearance", "kind", "on", "note", "recorded_at"]
        )
        deadlines = TableWriter(connection, Deadline, self._deadline_fields())
        person_url = reverse("vetting:person", args=[999999999]).replace("999999999", "{}")
        pid = self._next_id(Person)
        cid = self._next_id(Clearance)
        eid = self._next_id(ClearanceEvent)
        self.did = self._next_id(Deadline)
        self.people_ids: list[int] = []
        self.person_info: dict[int, str] = {}
        created = self._at(self.start, 9)
        per_force = -(-plan.people // len(self.forces))
        revet = self.kinds["revetting_due"]
        for i in range(plan.people):
            force = self.forces[i // per_force]
            role = _pick(rng, PERSON_ROLES)[0]
            rank = (
                rng.choices(self.ranks, self.rank_weights)[0]
                if role in RoleType.holding_rank()
                else None
            )
            status = _pick(rng, PERSON_STATUS)[0]
            manager = (
                pid - rng.randint(1, 50) if i % per_force > 50 and rng.random() < 0.3 else None
            )
            number = f"{i % per_force + 1:06d}"
            people.add(
                pid,
                force.pk,
                rng.choice(FORENAMES),
                self._surname(),
                datetime.date(
                    1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)
                ),
                number,
                role,
                rank,
                rng.choice(self.departments),
                status,
                manager,
                created,
            )
            self.people_ids.append(pid)
            if status in (PersonStatus.SERVING, PersonStatus.SUSPENDED) and rng.random() < 0.92:
                level, months = rng.choice(self.levels)
                span = months * 30
                # A few are already past expiry: the re-vetting sweep has work to do.
                granted = plan.anchor - datetime.timedelta(days=rng.randint(1, span + span // 25))
                expires = _add_months(granted, months)
                clearances.add(cid, pid, level, granted, expires, "active", self._at(granted))
                events.add(eid, cid, ClearanceEventKind.GRANTED, granted, "", self._at(granted))
                deadlines.add(
                    *self._deadline_row(
                        revet,
                        self.ct_person,
                        pid,
                        f"Re-vetting: {number}",
                        person_url.format(pid),
                        min(plan.anchor, expires),
                        expires,
                        None,
                        None,
                        expires - datetime.timedelta(days=90),
                    )
                )
                cid += 1
                eid += 1
            pid += 1
            if len(people.rows) >= 20000:
                for writer in (people, clearances, events, deadlines):
                    writer.flush()
        for writer in (people, clearances, events, deadlines):
            writer.flush()
        counts.rows["people"] = people.written
        counts.rows["clearances"] = clearances.written
        counts.rows["clearance_events"] = events.written
        counts.rows["revetting_deadlines"] = deadlines.written

    def _deadline_fields(self) -> list[str]:
        return [
            "id",
            "kind",
            "content_type",
            "object_id",
            "label",
            "url",
            "trigger_date",
            "due_date",
            "owner",
            "escalate_to",
            "status",
            "next_alert_on",
            "created_at",
            "updated_at",
        ]

    def _deadline_row(self, kind, ct, obj, label, url, trigger, due, owner, escalate, alert_on):
        did = self.did
        self.did += 1
        at = self._at(trigger)
        return (
            did,
            kind,
            ct,
            obj,
            label[:200],
            url,
            trigger,
            due,
            owner,
            escalate,
            "open",
            alert_on,
            at,
            at,
        )

    # --- cases -----------------------------------------------------------------------------
    def _cases(self, counts: Counts) -> None:
        plan, rng = self.plan, self.rng
        sizes: list[int] = []
        total = 0
        while total < plan.allegations:
            n = min(
                rng.choices(ALLEGATIONS_PER_CASE, ALLEGATIONS_WEIGHTS)[0], plan.allegations - total
            )
            sizes.append(n)
            total += n
        span = (plan.anchor - self.start).days
        received = sorted(self.start + datetime.timedelta(days=rng.randrange(span)) for _ in sizes)
        w = {
            "case": TableWriter(
                connection,
                Case,
                [
                    "id",
                    "reference",
                    "case_type",
                    "source",
                    "summary",
                    "received_on",
                    "recorded_on",
                    "handling",
                    "investigation_mode",
                    "complaint_result",
                    "outcome_sent_on",
                    "finalised_at",
                    "state",
                    "investigator",
                    "supervisor",
                    "team",
                    "created_by",
                    "created_at",
                    "updated_at",
                ],
            ),
            "complainant": TableWriter(
                connection, Complainant, ["id", "case", "name", "anonymous"]
            ),
            "allegation": TableWriter(
                connection,
                Allegation,
                ["id", "case", "number", "summary", "category", "about_force", "created_at"],
            ),
            "track": TableWriter(
                connection,
                SubjectTrack,
                [
                    "id",
                    "case",
                    "person",
                    "state",
                    "severity",
                    "notice_served_on",
                    "forum",
                    "proceedings_date",
                    "concluded_on",
                ],
            ),
            "subject": TableWriter(connection, AllegationSubject, ["id", "allegation", "person"]),
            "decision": TableWriter(
                connection,
                Decision,
                [
                    "id",
                    "case",
                    "kind",
                    "rationale",
                    "status",
                    "proposed_by",
                    "proposed_at",
                    "decided_by",
                    "decided_at",
                ],
            ),
            "outcome": TableWriter(
                connection,
                Outcome,
                [
                    "id",
                    "allegation",
                    "track",
                    "decision",
                    "finding",
                    "action",
                    "forum",
                    "effective_on",
                    "status",
                ],
            ),
            "transition": TableWriter(
                connection,
                CaseTransition,
                ["id", "case", "track", "name", "from_state", "to_state", "actor", "at"],
            ),
            "deadline": TableWriter(connection, Deadline, self._deadline_fields()),
        }
        ids = {key: self._next_id(writer.model) for key, writer in w.items() if key != "deadline"}
        years: dict[int, int] = dict(ReferenceCounter.objects.values_list("year", "last"))
        bar = _progress(len(sizes), plan.progress)
        for index, (n_allegations, received_on) in enumerate(zip(sizes, received, strict=True)):
            year = received_on.year
            years[year] = years.get(year, 0) + 1
            self._case(w, ids, f"PSD-{year}-{years[year]:06d}", n_allegations, received_on)
            if index % CHUNK == CHUNK - 1:
                for writer in w.values():
                    writer.flush()
                bar.update(CHUNK)
        for writer in w.values():
            writer.flush()
        bar.update(len(sizes) % CHUNK)
        bar.close()
        for year, last in years.items():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
        for key, writer in w.items():
            counts.rows[key + "s"] = writer.written

    def _case(self, w, ids, reference, n_allegations, received_on) -> None:
        rng, anchor = self.rng, self.plan.anchor
        case_type = _pick(rng, CASE_TYPES)[0]
        complaint = case_type == CaseType.COMPLAINT
        team_index = rng.randrange(len(self.teams))
        supervisor, investigators = self.team_staff[team_index]
        investigator = rng.choice(investigators)
        head = rng.choice(self.heads)
        case_id = ids["case"]
        ids["case"] += 1
        # Subjects: 1-2 people; complaints may have allegations about the service only.
        n_people = 1 if rng.random() < 0.75 else 2
        subjects = rng.sample(self.people_ids, n_people)
        about_force = [complaint and rng.random() < 0.15 for _ in range(n_allegations)]
        if not complaint:
            about_force = [False] * n_allegations
        has_subjects = not all(about_force)
        steps = walk(rng, case_type, has_subjects)
        outside = steps[0][0] == "handle_outside_schedule_3"
        otbi = any(s[0] == "handle_otbi" for s in steps)
        if needs_proceedings(steps):
            plans = plans_for(rng, n_people)
            if not any(p in ("meeting", "hearing") for p in plans):
                plans[0] = rng.choice(["meeting", "meeting", "hearing"])
        else:
            plans = plans_for(rng, n_people, otbi_only=otbi)
            plans = [p if p not in ("meeting", "hearing") else "nca" for p in plans]
        # Allegations and who they are about.
        allegation_ids, allegation_subjects = [], []
        created = self._at(received_on, 9)
        for number in range(1, n_allegations + 1):
            aid = ids["allegation"]
            ids["allegation"] += 1
            w["allegation"].add(
                aid,
                case_id,
                number,
                rng.choice(SUMMARIES),
                rng.choice(self.categories),
                about_force[number - 1],
                created,
            )
            allegation_ids.append(aid)
            if about_force[number - 1]:
                allegation_subjects.append([])
            else:
                who = subjects if n_people == 1 or rng.random() < 0.3 else [rng.choice(subjects)]
                allegation_subjects.append(who)
        used = sorted({p for who in allegation_subjects for p in who}, key=subjects.index)
        tracks = {}
        for person in used:
            tracks[person] = {
                "id": ids["track"],
                "plan": plans[subjects.index(person)],
                "state": TrackState.PENDING,
                "severity": "",
                "notice": None,
                "forum": "",
                "proceedings": None,
                "concluded": None,
            }
            ids["track"] += 1
        for aid, who in zip(allegation_ids, allegation_subjects, strict=True):
            for person in who:
                w["subject"].add(ids["subject"], aid, person)
                ids["subject"] += 1
        # Walk the clock until today.
        fields = {
            "recorded_on": None,
            "handling": "",
            "mode": "",
            "result": "",
            "sent": None,
            "finalised": None,
            "state": "received",
        }
        day = received_on
        outcomes_live: list[int] = []
        proposed_at = None
        for name, source, target, mode in steps:
            day = day + datetime.timedelta(
                days=max(1, int(DAYS[name] * (0.4 + 1.4 * rng.random())))
            )
            if day >= anchor:
                break
            at = self._at(day, 9 + rng.randrange(8))
            actor = (
                head if name in ("approve_outcome", "refuse_outcome", "finalise") else investigator
            )
            w["transition"].add(ids["transition"], case_id, None, name, source, target, actor, at)
            ids["transition"] += 1
            fields["state"] = target
            if name in ("record", "record_after_outside"):
                fields["recorded_on"], fields["handling"] = day, Handling.SCHEDULE_3
            elif name == "handle_outside_schedule_3":
                fields["handling"] = Handling.OUTSIDE_SCHEDULE_3
            elif name in ("refer_to_iopc", "no_referral"):
                fields["mode"] = ""
            elif name == "iopc_decided":
                fields["mode"] = mode
            elif name in ("start_investigation", "review_upheld"):
                if fields["mode"] in ("", "none", "otbi"):
                    fields["mode"] = "local"
                if name == "review_upheld":
                    fields["finalised"] = None
                    superseded = {oid for oid, _ in outcomes_live}
                    w["outcome"].rows = [
                        row if row[0] not in superseded else row[:8] + (OutcomeStatus.SUPERSEDED,)
                        for row in w["outcome"].rows
                    ]
                    outcomes_live = []
            elif name == "handle_otbi":
                fields["mode"] = "otbi"
            elif name == "propose_outcome":
                proposed_at = at
            elif name == "approve_outcome":
                outcomes_live = self._outcomes(
                    w,
                    ids,
                    case_id,
                    investigator,
                    head,
                    proposed_at or at,
                    at,
                    allegation_ids,
                    allegation_subjects,
                    tracks,
                )
            elif name in ("finalise", "resolve_outside", "withdraw", "discontinue"):
                fields["finalised"] = at
                if name == "finalise" and complaint:
                    fields["result"] = _complaint_result(outcomes_live)
                    fields["sent"] = day
            for track_name, t_source, t_target, track in _hooks(name, tracks):
                if track["state"] != t_source:
                    continue
                w["transition"].add(
                    ids["transition"],
                    case_id,
                    track["id"],
                    track_name,
                    t_source,
                    t_target,
                    actor,
                    at,
                )
                ids["transition"] += 1
                track["state"] = t_target
                self._track_fields(track, track_name, day)
        state = fields["state"]
        closed = state in ("finalised", "withdrawn", "discontinued")
        w["case"].add(
            case_id,
            reference,
            case_type,
            rng.choice(SOURCES[case_type]),
            f"{rng.choice(SUMMARIES)} ({reference})",
            received_on,
            fields["recorded_on"],
            fields["handling"],
            fields["mode"],
            fields["result"],
            fields["sent"],
            fields["finalised"],
            state,
            None if outside else investigator,
            supervisor,
            self.teams[team_index],
            investigator,
            created,
            fields["finalised"] or created,
        )
        if complaint:
            anonymous = rng.random() < 0.05
            name = "" if anonymous else f"{rng.choice(FORENAMES)} {self._surname()}"
            w["complainant"].add(ids["complainant"], case_id, name, anonymous)
            ids["complainant"] += 1
        for person, track in tracks.items():
            w["track"].add(
                track["id"],
                case_id,
                person,
                track["state"],
                track["severity"],
                track["notice"],
                track["forum"],
                track["proceedings"],
                track["concluded"],
            )
        # Open cases carry their clocks; the deadline sweep works through them.
        if not closed and fields["recorded_on"] and state not in ("outside_sch3",):
            due = _add_months(fields["recorded_on"], 12)
            self._open_deadline(
                w,
                "twelve_month_report",
                self.ct_case,
                case_id,
                f"{reference}: 12-month report",
                self.case_url.format(reference),
                fields["recorded_on"],
                due,
                investigator,
                supervisor,
                30,
            )
        for track in tracks.values():
            if track["state"] == TrackState.NOTICE_SERVED and not closed:
                notice = track["notice"]
                self._open_deadline(
                    w,
                    "reg17_representations",
                    self.ct_track,
                    track["id"],
                    f"{reference}: representations",
                    self.case_url.format(reference),
                    notice,
                    notice + datetime.timedelta(days=14),
                    investigator,
                    supervisor,
                    5,
                )

    def _open_deadline(self, w, code, ct, obj, label, url, trigger, due, owner, esc, first):
        w["deadline"].add(
            *self._deadline_row(
                self.kinds[code],
                ct,
                obj,
                label,
                url,
                trigger,
                due,
                owner,
                esc,
                due - datetime.timedelta(days=first),
            )
        )

    @staticmethod
    def _track_fields(track, name, day) -> None:
        if name == "assess_severity":
            from .paths import SEVERITY

            track["severity"] = SEVERITY[track["plan"]]
        elif name == "serve_notice":
            track["notice"] = day
        elif name in ("refer_to_meeting", "refer_to_hearing"):
            track["forum"] = Forum.MEETING if name == "refer_to_meeting" else Forum.HEARING
            track["proceedings"] = day + datetime.timedelta(days=21)
        elif name in (
            "no_misconduct",
            "no_further_action",
            "conclude_proceedings",
            "complete_rprp",
        ):
            track["concluded"] = day

    def _outcomes(self, w, ids, case_id, proposer, head, proposed_at, at, allegations, who, tracks):
        rng = self.rng
        did = ids["decision"]
        ids["decision"] += 1
        w["decision"].add(
            did,
            case_id,
            DecisionKind.OUTCOME,
            "Outcome as recorded.",
            DecisionStatus.APPROVED,
            proposer,
            proposed_at,
            head,
            at,
        )
        live = []
        day = at.date()
        for aid, people in zip(allegations, who, strict=True):
            targets = [(tracks[p], tracks[p]["plan"]) for p in people] or [(None, "service")]
            for track, plan in targets:
                if plan == "service":
                    finding, action, _ = _pick(rng, SERVICE_OUTCOMES)
                    forum = ""
                elif plan == "meeting":
                    finding, action, _ = _pick(rng, MEETING_OUTCOMES)
                    forum = Forum.MEETING
                elif plan == "hearing":
                    finding, action, _ = _pick(rng, HEARING_OUTCOMES)
                    forum = Forum.HEARING
                elif plan == "rprp":
                    finding, action, forum = Finding.PRI, Action.RPRP, ""
                elif plan == "nca":
                    finding, action, forum = Finding.NO_CASE_TO_ANSWER, Action.NONE, ""
                else:
                    finding, action, forum = Finding.NO_MISCONDUCT, Action.NONE, ""
                oid = ids["outcome"]
                ids["outcome"] += 1
                w["outcome"].add(
                    oid,
                    aid,
                    track["id"] if track else None,
                    did,
                    finding,
                    action,
                    forum,
                    day,
                    OutcomeStatus.APPROVED,
                )
                live.append((oid, finding))
        return live

    # --- audit -----------------------------------------------------------------------------
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

    # --- entry point -----------------------------------------------------------------------
    def run(self) -> Counts:
        counts = Counts()
        began = time.perf_counter()
        postgres = connection.vendor == "postgresql"
        with transaction.atomic():
            self._setup()
            first_case = self._next_id(Case)
            if postgres:
                with connection.cursor() as cursor:
                    # Row triggers (audit capture and FK checks) are skipped for the bulk load;
                    # the data is consistent by construction and the audit events follow.
                    cursor.execute("SET LOCAL session_replication_role = replica")
                self._people(counts)
                self._cases(counts)
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = origin")
            else:
                with maintenance():
                    self._people(counts)
                    self._cases(counts)
            self._audit(first_case, counts)
            models = [
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
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
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
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        counts.seconds = time.perf_counter() - began
        return counts


def _hooks(name, tracks):
    """The track steps a case transition brings, in order, for each track."""
    hook = TRACK_HOOKS.get(name)
    if not hook:
        return []
    return [
        (step, source, target, track)
        for track in tracks.values()
        for step, source, target in hook.get(track["plan"], ())
    ]


def _complaint_result(live: list[tuple[int, str]]) -> str:
    findings = {finding for _, finding in live}
    upheld = {
        Finding.SERVICE_NOT_ACCEPTABLE,
        Finding.MISCONDUCT_PROVEN,
        Finding.GROSS_MISCONDUCT_PROVEN,
        Finding.PRI,
    }
    if findings & upheld:
        return ComplaintResult.SERVICE_NOT_ACCEPTABLE
    if Finding.NFA in findings:
        return ComplaintResult.LOOKED_INTO_NFA
    return ComplaintResult.SERVICE_ACCEPTABLE


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


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


__all__ = ["Generator", "Plan", "NOTICE_PLANS"]
