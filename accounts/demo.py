"""Demo personnel and one user per role. Fictional people; passwords printed once."""

import datetime
import secrets

from django.contrib.auth.models import Group

from psd.roles import Role

from .models import Department, Force, Person, PersonStatus, Rank, RoleType, Team, User

DEPARTMENTS = [
    "Response Policing",
    "CID",
    "Roads Policing",
    "Custody",
    "Contact Centre",
    "Neighbourhood Policing",
    "Professional Standards",
]

# (forename, surname, number, role type, rank name or None, department, birth year)
PEOPLE = [
    ("Alex", "Morgan", "PC1024", RoleType.OFFICER, "Constable", "Response Policing", 1990),
    ("Sam", "Patel", "PC2210", RoleType.OFFICER, "Constable", "Response Policing", 1993),
    ("Jordan", "Hughes", "PS0417", RoleType.OFFICER, "Sergeant", "Response Policing", 1984),
    ("Priya", "Shah", "DC3312", RoleType.OFFICER, "Constable", "CID", 1988),
    ("Tom", "Evans", "DS1190", RoleType.OFFICER, "Sergeant", "CID", 1981),
    ("Grace", "Williams", "INSP0088", RoleType.OFFICER, "Inspector", "Roads Policing", 1979),
    ("Liam", "O'Connor", "PC4471", RoleType.OFFICER, "Constable", "Roads Policing", 1996),
    ("Chloe", "Davies", "SC7002", RoleType.SPECIAL, "Constable", "Neighbourhood Policing", 1999),
    ("Nia", "Roberts", "PCSO5120", RoleType.PCSO, None, "Neighbourhood Policing", 1994),
    ("Mark", "Taylor", "S40112", RoleType.STAFF, None, "Custody", 1975),
    ("Hannah", "Lewis", "S40287", RoleType.STAFF, None, "Contact Centre", 1991),
    ("Ben", "Clarke", "CI0031", RoleType.OFFICER, "Chief Inspector", "Response Policing", 1976),
    ("Ruth", "Kaur", "SUPT009", RoleType.OFFICER, "Superintendent", "Professional Standards", 1972),
]

USERS = [
    # username, first, last, role, team
    ("ivy.investigator", "Ivy", "Investigator", Role.INVESTIGATOR, "PSD Team A"),
    ("ian.investigator", "Ian", "Investigator", Role.INVESTIGATOR, "PSD Team B"),
    ("isla.investigator", "Isla", "Investigator", Role.INVESTIGATOR, "PSD Team A"),
    ("sue.supervisor", "Sue", "Supervisor", Role.SUPERVISOR, "PSD Team A"),
    ("aaron.authority", "Aaron", "Authority", Role.APPROPRIATE_AUTHORITY, None),
    ("vera.vetting", "Vera", "Vetting", Role.VETTING_OFFICER, None),
    ("victor.vetting", "Victor", "Vetting", Role.VETTING_OFFICER, None),
    ("alan.auditor", "Alan", "Auditor", Role.AUDITOR, None),
    ("ada.admin", "Ada", "Admin", Role.ADMINISTRATOR, None),
]


def load(out) -> None:
    force, _ = Force.objects.get_or_create(code="EX", defaults={"name": "Example Constabulary"})
    departments = {name: Department.objects.get_or_create(name=name)[0] for name in DEPARTMENTS}
    ranks = {rank.name: rank for rank in Rank.objects.all()}
    for forename, surname, number, role_type, rank, department, year in PEOPLE:
        Person.objects.get_or_create(
            force=force,
            number=number,
            defaults={
                "forename": forename,
                "surname": surname,
                "role_type": role_type,
                "rank": ranks.get(rank) if rank else None,
                "detective": department == "CID",
                "department": departments[department],
                "date_of_birth": datetime.date(year, 3, 14),
                "status": PersonStatus.SERVING,
            },
        )
    for username, first, last, role, team_name in USERS:
        team = Team.objects.get_or_create(name=team_name)[0] if team_name else None
        if User.objects.filter(username=username).exists():
            out.write(f"  user {username}: exists, password unchanged")
            continue
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@psd.example",
            team=team,
            is_staff=role == Role.ADMINISTRATOR,
        )
        user.groups.add(Group.objects.get(name=role.label))
        out.write(f"  user {username} ({role.label}): password {password}")
    _lead_team_a(out)


def _lead_team_a(out) -> None:
    """Sue supervises Team A, whose queue receives the anonymous reports (issue 12)."""
    team = Team.objects.filter(name="PSD Team A").first()
    sue = User.objects.filter(username="sue.supervisor").first()
    if team is None or sue is None or team.supervisor_id:
        return
    team.supervisor = sue
    team.receives_anonymous_reports = not Team.objects.filter(
        receives_anonymous_reports=True
    ).exists()
    team.save()
    out.write("  team PSD Team A: supervised by sue.supervisor, receives anonymous reports")
