"""A rich dataset built through the services, and a way to empty the database inside a test."""

import datetime

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

import tests.cases.test_journeys as journeys
from accounts.models import Department, Force
from cases.models import NoteVisibility
from cases.services import notes as case_notes
from deadlines.models import NonWorkingDay
from portability.schema import EXPORTED
from stats.services import allegations_import
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint
from tests.vetting.factories import granted

# Code-defined tables and the audit trail stay; everything else is data.
KEEP = {
    "audit.auditentry",
    "audit.auditseal",
    "audit.auditpending",
    "auth.permission",
    "auth.group",
    "contenttypes.contenttype",
    *(spec.label for spec in EXPORTED if spec.reference),
}

LEGACY = (
    "legacy_reference,received_on,recorded_on,finalised_on,case_type,handling,category,"
    "subject_number,summary,finding,action\n"
    "OLD-1,2019-05-02,2019-05-03,2019-09-30,complaint,sch3,Discreditable conduct,PC10001,"
    "Rude at a roadside stop,misconduct,mgmt_advice\n"
)


def build_dataset(*, alice, bob, carol, victor, eve, ada) -> None:
    """Cases driven to dismissal (barred list), OTBI, reflective practice and an advisory
    entry; a note of each visibility, a document, a vetting clearance, a legacy import..."""
    journeys.test_iopc_independent_investigation_to_dismissal_and_barred_list(alice, bob, carol)
    journeys.test_complaint_handled_otherwise_than_by_investigation_to_no_action(alice, bob)
    journeys.test_reflective_practice_route(alice, bob)
    journeys.test_resigning_under_investigation_creates_advisory_entry(alice, bob, ada)
    case = complaint(alice, supervisor=bob)
    case_notes.case_add_note(actor=alice, case=case, text="Called the complainant — “ok”")
    case_notes.case_add_note(
        actor=carol, case=case, text="Heads only", visibility=NoteVisibility.HEADS
    )
    case_notes.case_add_document(
        actor=alice,
        case=case,
        upload=SimpleUploadedFile("statement.pdf", b"%PDF-1.4\nstatement\n"),
        description='Statement, with a comma, and "quotes"\nand a new line',
    )
    granted(victor, PersonFactory(department=Department.objects.create(name="Response")))
    PersonFactory(number="PC10001", force=Force.objects.first())
    allegations_import(actor=eve, data=LEGACY.encode(), filename="legacy.csv")
    NonWorkingDay.objects.create(date=datetime.date(2026, 12, 29), description="Force closure")


def empty_database() -> None:
    """Delete every row but the code-defined ones, the seeded reference rows and the audit
    trail (the append-only table refuses it anyway): an empty, migrated database."""
    qn = connection.ops.quote_name
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        if model._meta.label_lower in KEEP or model._meta.db_table == "auth_group_permissions":
            continue
        if model._meta.app_label == "django_celery_beat":
            continue
        tables.append(model._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608
