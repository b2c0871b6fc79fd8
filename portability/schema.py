"""The export schema: which models are exported, in which order, and which fields never leave.

Columns come from each model's ``_meta`` (every concrete field, then every many-to-many field),
so a field added to an exported model is exported without anyone touching this module. What is
written here by hand is the judgement a machine cannot make:

- ``EXPORTED``: the models exported, in load order, with a sentence saying what each file holds;
  ``reference`` marks tables the migrations seed (the import replaces their rows);
- ``EXCLUDED_MODELS``: every other model of the project, with the reason it is not exported;
- ``EXCLUDED_FIELDS``: fields of exported models that never leave (secrets, note text), with the
  reason and the value the import writes in their place;
- ``DERIVED``: computed columns (a document's checksum), exported but never imported.

``tests/portability/test_schema.py`` fails when a model is neither exported nor excluded, when a
field has a type the codec does not know, and when docs/export-schema.md (generated from this
module: ``manage.py export_all --schema-doc docs/export-schema.md``) is out of date — so a new
field is always seen by someone before it ships in an export.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models

# Bump when a column changes meaning or a file is added or removed. The importer accepts only
# exports of its own schema version (a file's columns are also checked one by one).
SCHEMA_VERSION = 2

FORMATS = {"json": "jsonl", "csv": "csv"}
MANIFEST = "manifest.json"


class SchemaError(Exception):
    """The models and this schema disagree (a programming error, caught by the tests)."""


@dataclass(frozen=True)
class Exported:
    label: str  # "app_label.model_name"
    description: str
    reference: bool = False

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def filename(self, fmt: str) -> str:
        return f"{self.label}.{FORMATS[fmt]}"


# Load order: a table comes after the tables it points to, except for cycles (a team's
# supervisor is a user, a user's team is a team), which the import resolves with deferred
# foreign-key checks inside its one transaction.
EXPORTED: list[Exported] = [
    Exported("accounts.team", "PSD teams."),
    Exported(
        "accounts.user",
        "System users. Roles are the names of the groups they belong to. No password hash: "
        "imported users have an unusable password until they set one.",
    ),
    Exported("accounts.force", "Police forces and services."),
    Exported("accounts.rank", "Police ranks, most junior first.", reference=True),
    Exported("accounts.department", "Departments people work in."),
    Exported("accounts.person", "The personnel register: subjects of cases and vetting."),
    Exported("accounts.personstatuschange", "Dated history of each person's status."),
    Exported(
        "cases.allegationcategory", "IOPC complaint categories and sub-categories.", reference=True
    ),
    Exported("cases.standard", "Standards of Professional Behaviour.", reference=True),
    Exported("cases.referralcriterion", "IOPC referral criteria.", reference=True),
    Exported(
        "cases.staffoutcomekind",
        "The force's staff disciplinary outcome list (police staff are not under the Conduct "
        "Regulations).",
        reference=True,
    ),
    Exported("cases.referencecounter", "Last case reference number issued, per year."),
    Exported("deadlines.nonworkingday", "Extra non-working days (besides bank holidays)."),
    Exported(
        "deadlines.deadlinekind", "Kinds of deadline and the rules that set them.", reference=True
    ),
    Exported("vetting.vettinglevel", "Vetting levels and renewal intervals.", reference=True),
    Exported("vetting.vettingcheck", "The vetting checklist.", reference=True),
    Exported("vetting.refusalreason", "Categories of vetting refusal.", reference=True),
    Exported("vetting.post", "Posts and the vetting level each needs."),
    Exported("cases.case", "Cases: complaints, conduct matters and DSI matters."),
    Exported("cases.complainant", "Complainants of each case."),
    Exported("cases.allegation", "Allegations of each case."),
    Exported("cases.allegationsubject", "Who each allegation is about."),
    Exported(
        "cases.subjecttrack",
        "Each subject's path through a case: severity, notice, decision, proceedings.",
    ),
    Exported("cases.casetransition", "Every state change of a case or of a subject's track."),
    Exported("cases.reflectivepractice", "Reflective practice reviews (RPRP)."),
    Exported("cases.decision", "Four-eyes decisions: proposed, approved or refused."),
    Exported("cases.outcome", "Outcomes per subject and allegation."),
    Exported(
        "cases.appeal",
        "Appeals against outcomes: to the appropriate authority after a misconduct meeting "
        "(CR 2020 reg 45), to the Police Appeals Tribunal after a hearing; their results.",
    ),
    Exported("cases.referralassessment", "IOPC referral assessments."),
    Exported("cases.iopcreferral", "Referrals to the IOPC and its decisions."),
    Exported("cases.reviewrequest", "Review requests and their results."),
    Exported(
        "cases.suspension",
        "Periods an investigation was suspended (left out of timeliness; `ended_on` empty "
        "while still suspended).",
    ),
    Exported("cases.criminalreferral", "The criminal route of a subject (CPS referral, court)."),
    Exported("cases.advisorylistentry", "Police Advisory List entries."),
    Exported("cases.barredlistentry", "Police Barred List entries."),
    Exported(
        "cases.casenote",
        "Case notes: metadata only (who, when, visibility). The text is not exported.",
    ),
    Exported(
        "cases.casedocument",
        "Index of case documents (name, type, size, checksum, who uploaded it and when). The "
        "files themselves stay in the document store; `file` is their path inside it.",
    ),
    Exported(
        "correspondence.lettertemplate",
        "Letter templates, every version (letters point at the version they were made from).",
        reference=True,
    ),
    Exported(
        "correspondence.letter",
        "Letters generated for a case: text, recipient, sent on / by / how, and the case "
        "documents (PDF and Word) that hold them.",
    ),
    Exported("correspondence.updaterecord", "Updates given to complainants (keep-informed clock)."),
    Exported("cases.caseuserobjectpermission", "Per-case permissions granted to users."),
    Exported("cases.casegroupobjectpermission", "Per-case permissions granted to roles."),
    Exported("guardian.userobjectpermission", "Other per-object permissions granted to users."),
    Exported("guardian.groupobjectpermission", "Other per-object permissions granted to roles."),
    Exported(
        "deadlines.deadline",
        "Statutory and policy clocks. `content_type` and `object_id` name what a clock runs "
        "against (a case, a subject's track, a list entry, a vetting application...).",
    ),
    Exported(
        "deadlines.deadlineextension",
        "Each extension of a clock's due date: from, to, why, by whom and when.",
    ),
    Exported("deadlines.notification", "Reminders and escalations sent to users."),
    Exported("vetting.applicant", "Vetting applicants from outside the force."),
    Exported("vetting.vettingapplication", "Vetting applications."),
    Exported("vetting.checkresult", "Results of vetting checks."),
    Exported("vetting.listmatchresolution", "Resolved barred/advisory list matches."),
    Exported("vetting.appeal", "Appeals against vetting refusals."),
    Exported("vetting.clearance", "Vetting clearances held by people."),
    Exported("vetting.clearanceevent", "History of each clearance."),
    Exported("vetting.revettingtrigger", "Events that bring re-vetting forward."),
    Exported("stats.importbatch", "Imports of historic allegations from a legacy system."),
    Exported("stats.importedcase", "Cases created by a legacy import, with the legacy reference."),
    Exported("audit.retentionpolicy", "Retention schedules per record type.", reference=True),
    Exported(
        "audit.retentionreview", "Proposals (and approvals) to delete records past retention."
    ),
]

_DEFINED_BY_CODE = (
    "Defined by the code and its migrations; exported rows name them by natural key instead "
    "(see 'Encoding')."
)
_CREDENTIALS = "authentication secrets never leave the system that issued them."

EXCLUDED_MODELS: dict[str, str] = {
    "auth.permission": _DEFINED_BY_CODE,
    "auth.group": _DEFINED_BY_CODE + " Roles are groups; their permissions come from migrations.",
    "contenttypes.contenttype": _DEFINED_BY_CODE,
    "admin.logentry": "The Django admin's own change log; every change is in the audit trail.",
    "sessions.session": "Signed-in sessions: " + _CREDENTIALS,
    "authtoken.token": "API tokens: " + _CREDENTIALS,
    "accounts.apitoken": "API token hashes: " + _CREDENTIALS,
    "otp_totp.totpdevice": "Two-factor authenticator keys: " + _CREDENTIALS,
    "otp_static.staticdevice": "Two-factor recovery-code devices: " + _CREDENTIALS,
    "otp_static.statictoken": "Two-factor recovery codes: " + _CREDENTIALS,
    "axes.accessattempt": "Failed sign-in counters of this installation (security state).",
    "axes.accessattemptexpiration": "Failed sign-in counters of this installation.",
    "axes.accesslog": "Sign-in log of this installation (not kept: see settings).",
    "axes.accessfailurelog": "Failed sign-in log of this installation.",
    "stats.statisticssnapshot": (
        "Stored copies of the statistics tables, recomputed from the exported cases every "
        "10 minutes (stats.snapshots): derived data, rebuilt on the importing system."
    ),
    "django_celery_beat.periodictask": "Periodic task schedules are created by migrations.",
    "django_celery_beat.periodictasks": "Periodic task schedules are created by migrations.",
    "django_celery_beat.intervalschedule": "Periodic task schedules are created by migrations.",
    "django_celery_beat.crontabschedule": "Periodic task schedules are created by migrations.",
    "django_celery_beat.solarschedule": "Periodic task schedules are created by migrations.",
    "django_celery_beat.clockedschedule": "Periodic task schedules are created by migrations.",
    "audit.auditentry": (
        "The audit trail is hash-chained by the database that wrote it: rows loaded elsewhere "
        "would be a new chain, not the trail, and could not be verified (`audit_verify`). It "
        "stays with the system that recorded it (keep that database, or a dump of "
        "`audit_auditentry`, for the retention period). Restoring an export writes new audit "
        "rows for every row it inserts."
    ),
    "audit.auditseal": "The audit trail's keyed chain (see audit.auditentry).",
    "audit.auditpending": "Audit entries waiting to be sealed (see audit.auditentry).",
    "reporting.report": (
        "Anonymous staff reports are sealed with the force's reporting key and found by a "
        "receipt code only the reporter holds; exporting them would either hand out the "
        "sealed content and receipt hashes or break the promise made to reporters. A conduct "
        "matter created from a report is an ordinary case (source 'anonymous_report') and is "
        "exported."
    ),
    "reporting.evidence": "Sealed evidence of an anonymous report (see reporting.report).",
    "reporting.reportmessage": "Sealed messages with an anonymous reporter (see reporting.report).",
    "reporting.reportevent": "Triage log of an anonymous report (see reporting.report).",
    "accounts.grantrequest": (
        "Four-eyes proposals and decisions about access in this installation (security state; "
        "every one is in the audit trail). The roles they gave are exported with the users."
    ),
    "portability.exportrun": "Records of exports themselves (also in the audit trail).",
    "correspondence.bundle": (
        "Case bundles are generated on demand from the case's documents (exported above); "
        "each request is in the audit trail."
    ),
    "datagen.generateddataset": "Bookkeeping of the synthetic data generator (test data).",
}

NOTE_TEXT_PLACEHOLDER = "[The text of this note was not included in the data export.]"


@dataclass(frozen=True)
class Exclusion:
    reason: str
    # The value the import writes (None: the field's default), and that value in words.
    fill: Callable[[], object] | None = None
    fill_text: str = "the field's default"


EXCLUDED_FIELDS: dict[str, dict[str, Exclusion]] = {
    "accounts.user": {
        "password": Exclusion(
            "Password hashes never leave: an offline copy can be attacked at leisure. Imported "
            "users get an unusable password; an administrator resets it.",
            fill=lambda: make_password(None),
            fill_text="an unusable password",
        ),
    },
    "cases.casenote": {
        "text": Exclusion(
            "Working notes are exported as metadata only (who wrote one, when, and who may "
            "read it); their text stays in the system. The import writes a fixed sentence "
            "saying so in its place.",
            fill=lambda: NOTE_TEXT_PLACEHOLDER,
            fill_text=f"the sentence “{NOTE_TEXT_PLACEHOLDER}”",
        ),
    },
}


# What a column's field definition cannot say (ids inside JSON, generic references...).
COLUMN_NOTES: dict[str, str] = {
    "cases.decision.payload": (
        'What was proposed: `case_to_answer` {"answers": {"<cases.subjecttrack id>": true or '
        'false}}; `finalisation` {"result": a complaint result, "outcome_sent_on": date or '
        "null}; other kinds {}. Outcomes point to their decision (`cases.outcome.decision_id`)."
    ),
    "deadlines.deadline.object_id": (
        "Primary key of the row the clock runs against, in the table `content_type` names."
    ),
    "vetting.listmatchresolution.entry_id": (
        "Primary key of the `cases.barredlistentry` or `cases.advisorylistentry` row (see "
        "`entry_type`)."
    ),
    "guardian.userobjectpermission.object_pk": (
        "Primary key (as text) of the row in the table `content_type` names."
    ),
    "guardian.groupobjectpermission.object_pk": (
        "Primary key (as text) of the row in the table `content_type` names."
    ),
    "audit.retentionreview.object_pks": (
        "Primary keys of the records proposed for deletion, in the table of the policy's "
        "`record_type`."
    ),
    "cases.casedocument.file": (
        "Path of the file inside the document store (`<PSD_DATA_DIR>/uploads`); the file itself "
        "is not in the export."
    ),
}


def _document_sha256(document) -> str:
    """SHA-256 of the stored file, or "" when the document store does not hold it."""
    if not document.file.name:
        return ""
    digest = hashlib.sha256()
    try:
        with document.file.storage.open(document.file.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


@dataclass(frozen=True)
class Derived:
    name: str
    meaning: str
    compute: Callable[[models.Model], object]


DERIVED: dict[str, list[Derived]] = {
    "cases.casedocument": [
        Derived(
            "sha256",
            "SHA-256 of the stored file (hex), empty when the document store does not hold it. "
            "Computed at export; not imported.",
            _document_sha256,
        )
    ],
}

# Models referred to by a natural key (stable across databases) instead of a primary key.
NATURAL_KEYS: dict[str, tuple[str, Callable[[models.Model], str]]] = {
    "contenttypes.contenttype": (
        "`app_label.model`, e.g. `cases.case`",
        lambda ct: f"{ct.app_label}.{ct.model}",
    ),
    "auth.group": ("the role (group) name", lambda group: group.name),
    "auth.permission": (
        "`app_label.model.codename`, e.g. `cases.case.view_case`",
        lambda p: f"{p.content_type.app_label}.{p.content_type.model}.{p.codename}",
    ),
}

INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
TEXT_TYPES = {
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "FileField",
    "GenericIPAddressField",
}
VALUE_TYPES = {
    **dict.fromkeys(INTEGER_TYPES, "integer"),
    **dict.fromkeys(TEXT_TYPES, "text"),
    "BooleanField": "boolean",
    "DateField": "date",
    "DateTimeField": "datetime",
    "DecimalField": "decimal",
    "JSONField": "json",
    "UUIDField": "uuid",
}


@dataclass(frozen=True)
class Column:
    """One column of an exported file.

    kind: ``value`` (a field's value), ``fk`` (primary key of the row pointed to), ``natural``
    (natural key of the row pointed to), ``m2m`` / ``m2m_natural`` (sorted list of primary or
    natural keys), ``derived`` (computed, not imported).
    """

    name: str
    kind: str
    type: str
    field: models.Field | None = None
    derived: Derived | None = None

    @property
    def target(self) -> str:
        return self.field.related_model._meta.label_lower if self.field.is_relation else ""


def _value_type(field: models.Field) -> str:
    internal = field.get_internal_type()
    if internal not in VALUE_TYPES:
        raise SchemaError(f"{field.model._meta.label}.{field.name}: no codec for {internal}")
    return VALUE_TYPES[internal]


def columns_for(label: str) -> list[Column]:
    model = apps.get_model(label)
    excluded = EXCLUDED_FIELDS.get(label, {})
    unknown = set(excluded) - {f.name for f in model._meta.concrete_fields}
    if unknown:
        raise SchemaError(f"{label}: excluded fields {sorted(unknown)} do not exist")
    columns = []
    for field in model._meta.concrete_fields:
        if field.name in excluded:
            continue
        if field.is_relation:
            target = field.related_model._meta.label_lower
            if target in NATURAL_KEYS:
                columns.append(Column(field.name, "natural", "text", field))
            else:
                columns.append(Column(field.attname, "fk", _value_type(field.target_field), field))
        else:
            columns.append(Column(field.name, "value", _value_type(field), field))
    for field in model._meta.many_to_many:
        if not field.remote_field.through._meta.auto_created:
            continue  # an explicit through model (AllegationSubject) is a file of its own
        target = field.related_model._meta.label_lower
        kind = "m2m_natural" if target in NATURAL_KEYS else "m2m"
        columns.append(Column(field.name, kind, "list", field))
    for derived in DERIVED.get(label, []):
        columns.append(Column(derived.name, "derived", "text", derived=derived))
    names = [c.name for c in columns]
    if len(names) != len(set(names)):
        raise SchemaError(f"{label}: duplicate column names {names}")
    return columns


@cache
def exported_files() -> list[tuple[Exported, list[Column]]]:
    """The exported files in load order, with their columns (computed once per process)."""
    return [(spec, columns_for(spec.label)) for spec in EXPORTED]
