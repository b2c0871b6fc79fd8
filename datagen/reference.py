"""Reference data and staff for a generated dataset (ORM: a few hundred rows at most)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Department, Force, Person, Rank, Team
from cases.models import AllegationCategory, Case, SubjectTrack
from psd.roles import Role
from vetting.models import VettingLevel

from .names import entries


@dataclass
class Reference:
    forces: list[int] = field(default_factory=list)
    departments: list[int] = field(default_factory=list)
    ranks: list[int] = field(default_factory=list)
    rank_weights: list[int] = field(default_factory=list)
    categories: list[int] = field(default_factory=list)
    levels: list[VettingLevel] = field(default_factory=list)
    teams: list[int] = field(default_factory=list)
    team_staff: list[tuple[int, list[int]]] = field(default_factory=list)  # supervisor, team
    heads: list[int] = field(default_factory=list)  # appropriate authorities
    vetters: list[int] = field(default_factory=list)
    content_types: dict[str, int] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # "{}" where the key goes


def load_reference(people: int, allegations: int) -> Reference:
    ref = Reference()
    n_forces = max(1, min(43, people // 1000))
    ref.forces = [
        Force.objects.get_or_create(
            code=f"SYN{i:02d}", defaults={"name": f"Synthetic Constabulary {i:02d}"}
        )[0].pk
        for i in range(1, n_forces + 1)
    ]
    ref.departments = [
        Department.objects.get_or_create(name=name)[0].pk for name in entries("departments")
    ]
    ref.ranks = list(Rank.objects.order_by("order").values_list("pk", flat=True))
    ref.rank_weights = [max(1, 60 // (i + 1) ** 2) for i in range(len(ref.ranks))]
    # Allegations record a sub-category (issue 19): the active categories with no active
    # sub-category under them (a top-level category only where it has none).
    ref.categories = list(
        AllegationCategory.objects.filter(active=True)
        .exclude(children__active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ref.categories or not ref.ranks:
        raise RuntimeError("reference data missing: run migrate first")
    ref.levels = list(VettingLevel.objects.filter(renewal_months__isnull=False).order_by("order"))
    ref.content_types = {
        name: ContentType.objects.get_for_model(model).pk
        for name, model in (("person", Person), ("case", Case), ("track", SubjectTrack))
    }
    ref.urls = {
        "case": reverse("cases:detail", args=["REF"]).replace("REF", "{}"),
        "person": reverse("vetting:person", args=[999999999]).replace("999999999", "{}"),
    }
    _staff(ref, n_teams=max(3, min(150, (allegations // 2 + 1) // 4000)))
    return ref


def _staff(ref: Reference, n_teams: int) -> None:
    """Teams of a supervisor and six investigators, four appropriate authorities and four
    vetting officers, each in the group of their role and with no usable password."""
    User = get_user_model()
    members = []
    for t in range(1, n_teams + 1):
        team = Team.objects.get_or_create(name=f"Synthetic PSD team {t:03d}")[0]
        supervisor = User(username=f"gen.sup.{t:03d}", first_name="Supervisor", last_name=f"{t}")
        investigators = [
            User(username=f"gen.inv.{t:03d}.{i}", first_name="Investigator", last_name=f"{t}.{i}")
            for i in range(1, 7)
        ]
        _create(User, [supervisor, *investigators], team)
        members += [(supervisor, Role.SUPERVISOR)] + [(u, Role.INVESTIGATOR) for u in investigators]
        ref.teams.append(team.pk)
        ref.team_staff.append((supervisor.pk, [u.pk for u in investigators]))
    heads = [
        User(username=f"gen.aa.{i}", first_name="Authority", last_name=str(i)) for i in range(1, 5)
    ]
    vetters = [
        User(username=f"gen.vet.{i}", first_name="Vetting", last_name=str(i)) for i in range(1, 5)
    ]
    _create(User, heads + vetters, None)
    members += [(u, Role.APPROPRIATE_AUTHORITY) for u in heads]
    members += [(u, Role.VETTING_OFFICER) for u in vetters]
    groups = {role: Group.objects.get(name=role.label) for role in Role}
    Through = User.groups.through
    Through.objects.bulk_create(
        [Through(user_id=u.pk, group_id=groups[role].pk) for u, role in members]
    )
    ref.heads = [u.pk for u in heads]
    ref.vetters = [u.pk for u in vetters]


def _create(User, users, team) -> None:
    for user in users:
        user.team = team
        user.set_unusable_password()
    User.objects.bulk_create(users)
