"""Four-eyes grants (issue 20 item 2): roles, permissions on one record and the person <-> user
link change only when a second administrator approves, never for the proposer or the approver,
and every step is on the audit trail. The admin no longer edits them directly."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import grants
from accounts.models import GrantKind, GrantRequest, GrantStatus, Person
from audit.models import AuditEntry
from psd.domain import PermissionDenied
from psd.roles import Role, user_roles
from tests.accounts.factories import PersonFactory, user_with_role
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def adam(db):
    """A second system administrator."""
    return user_with_role(Role.ADMINISTRATOR, "adam", is_staff=True)


def fresh_roles(user):
    user.refresh_from_db()
    user.__dict__.pop("_psd_roles", None)
    return user_roles(user)


def propose(client, **data):
    data.setdefault("reason", "Joined the department")
    return client.post(reverse("accounts:grants"), data)


def decide(client, grant, verdict, note=""):
    return client.post(reverse("accounts:grant_decide", args=[grant.pk, verdict]), {"note": note})


def test_a_role_grant_waits_for_a_second_administrator(client, ada, adam, eve):
    client.force_login(ada)
    response = propose(client, kind=GrantKind.ROLE_ADD, grantee=eve.pk, role=Role.SUPERVISOR)
    assert response.status_code == 302
    grant = GrantRequest.objects.get()
    assert grant.status == GrantStatus.PENDING and grant.requested_by == ada
    assert Role.SUPERVISOR not in fresh_roles(eve)  # not in effect yet

    assert decide(client, grant, "approve").status_code == 403  # not by the proposer
    assert Role.SUPERVISOR not in fresh_roles(eve)

    client.force_login(adam)
    assert decide(client, grant, "approve").status_code == 302
    assert Role.SUPERVISOR in fresh_roles(eve)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.APPROVED and grant.decided_by == adam
    membership = AuditEntry.objects.get(
        table_name="accounts_user_groups", action="insert", new_row__user_id=eve.pk, actor=adam
    )
    assert membership.reason == "Joined the department"
    actions = list(
        AuditEntry.objects.filter(action__startswith="grant.")
        .order_by("seq")
        .values_list("action", "actor")
    )
    assert actions == [("grant.requested", ada.pk), ("grant.approved", adam.pk)]


def test_an_administrator_cannot_propose_a_role_for_themself(client, ada):
    client.force_login(ada)
    response = propose(client, kind=GrantKind.ROLE_ADD, grantee=ada.pk, role=Role.INVESTIGATOR)
    assert response.status_code == 403
    assert "their own access" in response.content.decode()
    assert not GrantRequest.objects.exists()
    assert fresh_roles(ada) == [Role.ADMINISTRATOR]


def test_the_approver_cannot_approve_a_grant_for_themself(client, ada, adam):
    grant = grants.grant_request(
        actor=ada,
        kind=GrantKind.ROLE_ADD,
        grantee=adam,
        role=Role.APPROPRIATE_AUTHORITY,
        reason="Acting up",
    )
    client.force_login(adam)
    response = decide(client, grant, "approve")
    assert response.status_code == 403
    assert Role.APPROPRIATE_AUTHORITY not in fresh_roles(adam)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING


def test_the_database_refuses_a_self_grant_row_whatever_the_code_says(ada, adam):
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantRequest.objects.create(
            kind=GrantKind.ROLE_ADD, grantee=ada, role=Role.AUDITOR, reason="x", requested_by=ada
        )
    grant = GrantRequest.objects.create(
        kind=GrantKind.ROLE_ADD, grantee=adam, role=Role.AUDITOR, reason="x", requested_by=ada
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantRequest.objects.filter(pk=grant.pk).update(decided_by=ada)


def test_a_refusal_needs_a_reason_and_changes_nothing(client, ada, adam, eve):
    grant = grants.grant_request(
        actor=ada, kind=GrantKind.ROLE_REMOVE, grantee=eve, role=Role.AUDITOR, reason="Left"
    )
    client.force_login(adam)
    assert decide(client, grant, "refuse").status_code == 400
    assert decide(client, grant, "refuse", note="Still an auditor").status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REFUSED and Role.AUDITOR in fresh_roles(eve)
    assert decide(client, grant, "approve").status_code == 403  # already decided


def test_only_the_proposer_withdraws(client, ada, adam, eve):
    grant = grants.grant_request(
        actor=ada, kind=GrantKind.ROLE_ADD, grantee=eve, role=Role.INVESTIGATOR, reason="x"
    )
    client.force_login(adam)
    assert decide(client, grant, "withdraw").status_code == 403
    client.force_login(ada)
    assert decide(client, grant, "withdraw").status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.WITHDRAWN


def test_users_without_the_permission_get_403(client, alice, eve):
    client.force_login(alice)
    assert client.get(reverse("accounts:grants")).status_code == 403
    grant = grants.grant_request(
        actor=user_with_role(Role.ADMINISTRATOR, "amy"),
        kind=GrantKind.ROLE_ADD,
        grantee=eve,
        role=Role.INVESTIGATOR,
        reason="x",
    )
    assert decide(client, grant, "approve").status_code == 403
    assert Role.INVESTIGATOR not in fresh_roles(eve)


def propose_view_case(client, grantee, object_pk):
    view_case = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    return propose(
        client,
        kind=GrantKind.OBJECT_PERMISSION_ADD,
        grantee=grantee.pk,
        permission=view_case.pk,
        object_pk=object_pk,
    )


def test_an_object_permission_grant_opens_one_case_after_approval(
    client, ada, adam, alice, bob, dave
):
    case = complaint(alice, supervisor=bob)
    client.force_login(ada)
    assert propose_view_case(client, dave, case.pk).status_code == 302
    client.force_login(dave)
    assert client.get(case.get_absolute_url()).status_code == 404
    grants.grant_approve(actor=adam, grant=GrantRequest.objects.get())
    assert client.get(case.get_absolute_url()).status_code == 200


def test_a_grant_on_a_record_that_does_not_exist_is_refused(client, ada, dave):
    client.force_login(ada)
    response = propose_view_case(client, dave, 999999)
    assert response.status_code == 403 and "no such record" in response.content.decode()


# --- the person <-> user link ---------------------------------------------------------------


def test_the_person_link_changes_only_through_an_approved_grant(client, ada, adam, alice):
    person = PersonFactory()
    client.force_login(ada)
    assert propose(client, kind=GrantKind.PERSON_LINK, grantee=alice.pk, person=person.pk)
    assert Person.objects.get(pk=person.pk).user is None
    grants.grant_approve(actor=adam, grant=GrantRequest.objects.get())
    assert Person.objects.get(pk=person.pk).user == alice
    entry = AuditEntry.objects.get(table_name="accounts_person", action="update", actor=adam)
    assert entry.new_row["user_id"] == alice.pk


def test_nobody_unlinks_their_own_person_record(ada, adam):
    """The link hides a case from its subject: unlinking oneself would open one's own case."""
    own = PersonFactory(user=ada)
    with pytest.raises(PermissionDenied, match="their own access"):
        grants.grant_request(actor=ada, kind=GrantKind.PERSON_LINK, person=own, reason="x")
    grant = grants.grant_request(actor=adam, kind=GrantKind.PERSON_LINK, person=own, reason="x")
    with pytest.raises(PermissionDenied, match="their own access"):
        grants.grant_approve(actor=ada, grant=grant)
    assert Person.objects.get(pk=own.pk).user == ada


def test_the_personnel_form_and_the_admin_no_longer_set_the_link(client, ada, alice):
    person = PersonFactory()
    client.force_login(ada)
    form = client.get(reverse("accounts:person_update", args=[person.pk])).context["form"]
    assert "user" not in form.fields
    page = client.get(reverse("admin:accounts_person_change", args=[person.pk]))
    assert "user" not in page.context["adminform"].form.fields


def test_the_admin_shows_roles_read_only_and_ignores_posted_groups(client, ada, alice):
    client.force_login(ada)
    url = reverse("admin:accounts_user_change", args=[ada.pk])
    page = client.get(url)
    fields = page.context["adminform"].form.fields
    assert "groups" not in fields and "user_permissions" not in fields
    assert "is_superuser" not in fields
    data = {
        "username": "ada",
        "first_name": "Ada",
        "last_name": "A",
        "email": "ada@psd.example",
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="Investigator").pk],
    }
    client.post(url, data)
    assert fresh_roles(ada) == [Role.ADMINISTRATOR]
