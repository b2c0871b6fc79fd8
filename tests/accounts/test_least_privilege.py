"""Least privilege (issue 12): the administrator manages users, roles, teams and reference
data, answers 404 on every case, vetting and anonymous-report page unless separately given a
PSD role, and every grant of a role or object permission is audited with who granted it."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import Team
from audit import context as audit_context
from audit.models import AuditEntry
from cases.models import CaseDocument
from cases.services.notes import case_add_note
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from tests.audit.test_access_matrix import MATRIX, ROLES
from tests.cases.factories import complaint
from tests.cases.helpers import post_action
from tests.reporting.factories import SubmittedReportFactory
from tests.vetting.factories import person_application

pytestmark = pytest.mark.django_db

CONTENT = ("cases:", "vetting:", "reporting:")
ADMIN = ROLES.index("admin")


def test_the_matrix_says_404_for_the_administrator_on_every_content_url():
    names = [name for name in MATRIX if name.startswith(CONTENT)]
    assert len(names) > 25
    for name in names:
        row = MATRIX[name]
        assert row.get[ADMIN] == 404, name
        assert row.post is None or row.post[ADMIN] == 404, name


@pytest.fixture
def content(alice, bob, victor, settings, tmp_path):
    """A case with a document and a note, a person who is its subject and under vetting, and
    an anonymous report with evidence."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    person = PersonFactory(forename="Nadia", surname="Okafor")
    case = complaint(alice, person, supervisor=bob)
    case_add_note(actor=alice, case=case, text="Internal working note")
    document = CaseDocument(
        case=case, original_name="a.pdf", content_type="application/pdf", size=9, uploaded_by=alice
    )
    document.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    application = person_application(victor, person)
    report = SubmittedReportFactory().report
    return {
        "case": case,
        "person": person,
        "document": document,
        "app": application,
        "report": report,
    }


def content_urls(c) -> list[str]:
    case, report = c["case"], c["report"]
    return [
        reverse("cases:list"),
        reverse("cases:detail", args=[case.reference]),
        reverse("cases:document", args=[case.reference, c["document"].pk]),
        reverse("cases:action", args=[case.reference, "note", 0]),
        reverse("cases:teams"),
        reverse("vetting:queue"),
        reverse("vetting:person", args=[c["person"].pk]),
        reverse("vetting:application_detail", args=[c["app"].pk]),
        reverse("reporting:triage_list"),
        reverse("reporting:triage_detail", args=[report.pk]),
        reverse("reporting:triage_events", args=[report.pk]),
    ]


def test_the_administrator_gets_404_on_case_vetting_and_report_content(client, ada, content):
    client.force_login(ada)
    for url in content_urls(content):
        assert client.get(url).status_code == 404, url
    response = post_action(client, content["case"], "note", text="Sneaky note")
    assert response.status_code == 404
    assert content["case"].notes.count() == 1


def test_the_administrator_sees_the_register_but_not_conduct_or_vetting_sections(
    client, ada, alice, victor, content
):
    url = reverse("accounts:person_detail", args=[content["person"].pk])
    client.force_login(ada)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Okafor" in page and content["person"].number in page  # the register
    assert response.context["sections"] == []
    assert content["case"].reference not in page and "Professional standards" not in page
    client.force_login(alice)  # the case team sees the conduct history
    assert content["case"].reference in client.get(url).content.decode()


def test_an_administrator_given_a_psd_role_sees_what_the_role_allows(client, ada, content):
    ada.groups.add(Group.objects.get(name=Role.APPROPRIATE_AUTHORITY.label))
    client.force_login(ada)
    assert client.get(content["case"].get_absolute_url()).status_code == 200
    assert client.get(reverse("reporting:triage_list")).status_code == 200
    assert client.get(reverse("vetting:queue")).status_code == 403  # not a vetting officer


# --- auditing grants ----------------------------------------------------------------------


def test_a_role_grant_and_removal_are_audited_with_who_did_it(ada, alice):
    supervisors = Group.objects.get(name=Role.SUPERVISOR.label)
    with audit_context.acting(actor=ada, reason="Promoted to sergeant"):
        alice.groups.add(supervisors)
        alice.groups.remove(supervisors)
    rows = AuditEntry.objects.filter(table_name="accounts_user_groups").order_by("seq")
    assert [(r.action, r.actor) for r in rows.filter(actor=ada)] == [
        ("insert", ada),
        ("delete", ada),
    ]
    assert rows.last().reason == "Promoted to sergeant"


def test_object_permission_grants_on_reassignment_are_audited_with_the_supervisor(
    client, alice, bob
):
    anna = user_with_role(Role.INVESTIGATOR, "anna", team=alice.team)
    case = complaint(alice, supervisor=bob)
    client.force_login(bob)
    response = post_action(client, case, "assign", investigator=anna.pk, reason="Workload")
    assert response.status_code == 302
    rows = AuditEntry.objects.filter(table_name="cases_caseuserobjectpermission", actor=bob)
    inserted = [r.new_row["user_id"] for r in rows.filter(action="insert")]
    deleted = [r.old_row["user_id"] for r in rows.filter(action="delete")]
    assert inserted == [anna.pk, anna.pk] and deleted == [alice.pk, alice.pk]


def test_the_administrator_manages_teams_in_the_admin_and_it_is_audited(client, ada, bob):
    client.force_login(ada)
    response = client.post(
        reverse("admin:accounts_team_add"),
        {"name": "PSD Team C", "supervisor": bob.pk, "receives_anonymous_reports": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    team = Team.objects.get(name="PSD Team C")
    assert team.supervisor == bob and team.receives_anonymous_reports
    entry = AuditEntry.objects.get(
        table_name="accounts_team", action="insert", object_pk=str(team.pk)
    )
    assert entry.actor == ada and entry.new_row["name"] == "PSD Team C"
    assert entry.new_row["supervisor_id"] == bob.pk


def test_nobody_edits_roles_or_superuser_status_in_the_admin(client, ada, alice):
    """Roles and single permissions change through the four-eyes grants page only
    (tests/accounts/test_grants.py); the admin shows them read-only, even to a superuser."""
    client.force_login(ada)
    page = client.get(reverse("admin:accounts_user_change", args=[alice.pk]))
    assert page.status_code == 200
    fields = page.context["adminform"].form.fields
    assert "team" in fields
    assert not {"groups", "is_superuser", "user_permissions"} & set(fields)
    root = user_with_role(Role.ADMINISTRATOR, "root", is_staff=True, is_superuser=True)
    client.force_login(root)
    fields = (
        client.get(reverse("admin:accounts_user_change", args=[alice.pk]))
        .context["adminform"]
        .form.fields
    )
    assert not {"groups", "is_superuser", "user_permissions"} & set(fields)
