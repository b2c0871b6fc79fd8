"""Users, teams and the personnel register (officers, specials, PCSOs and police staff)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse

from .roles import DASHBOARD_PERMISSION, Role


class Team(models.Model):
    """A PSD team. Investigators see their team's cases; its supervisor allocates them."""

    name = models.CharField(max_length=100, unique=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_teams",
        help_text="Allocates and reassigns the team's cases.",
    )
    receives_anonymous_reports = models.BooleanField(
        default=False,
        help_text="New anonymous reports land in this team's queue (one team at most).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["receives_anonymous_reports"],
                condition=models.Q(receives_anonymous_reports=True),
                name="one_team_receives_anonymous_reports",
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A PSD system user. Roles are groups (see ``accounts.roles``)."""

    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            (codename, f"Can open the {role.label.lower()} dashboard")
            for role, codename in DASHBOARD_PERMISSION.items()
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Force(models.Model):
    """A police force or service. Staff numbers are unique within a force."""

    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(max_length=10, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Rank(models.Model):
    """Police ranks, ordered from most junior (order 1) upwards. Data, not code."""

    name = models.CharField(max_length=60, unique=True)
    abbreviation = models.CharField(max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(unique=True)
    is_chief_officer = models.BooleanField(
        default=False,
        help_text="Chief officer ranks: complaints about them go to the IOPC and the LPB "
        "(PRA 2002 Sch 3 para 4; Barred List Regs 2017 reg 3).",
    )

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleType(models.TextChoices):
    OFFICER = "officer", "Police officer"
    SPECIAL = "special", "Special constable"
    PCSO = "pcso", "PCSO"
    STAFF = "staff", "Police staff"

    @classmethod
    def holding_rank(cls) -> set[str]:
        """Role types that hold a police rank (police staff and PCSOs do not)."""
        return {cls.OFFICER, cls.SPECIAL}


class PersonStatus(models.TextChoices):
    SERVING = "serving", "Serving"
    SUSPENDED = "suspended", "Suspended"
    RESIGNED = "resigned", "Resigned"
    RETIRED = "retired", "Retired"
    DISMISSED = "dismissed", "Dismissed"

    @classmethod
    def left_service(cls) -> set[str]:
        return {cls.RESIGNED, cls.RETIRED, cls.DISMISSED}


class Person(models.Model):
    """Someone serving (or who served) with the force: the subject of cases and vetting."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="people")
    forename = models.CharField(max_length=80)
    surname = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    number = models.CharField(
        "collar / warrant / staff number", max_length=20, help_text="Unique within the force."
    )
    role_type = models.CharField(max_length=10, choices=RoleType.choices)
    rank = models.ForeignKey(Rank, null=True, blank=True, on_delete=models.PROTECT)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(
        max_length=10, choices=PersonStatus.choices, default=PersonStatus.SERVING
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surname", "forename", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                "force", Upper("number"), name="person_number_unique_per_force"
            ),
        ]
        indexes = [
            models.Index(Upper("surname"), name="person_surname_upper_idx"),
            models.Index(Upper("number"), name="person_number_upper_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.number})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def rank_and_name(self) -> str:
        prefix = f"{self.rank.abbreviation or self.rank.name} " if self.rank_id else ""
        return f"{prefix}{self.full_name}"


class PersonStatusChange(models.Model):
    """Dated history of a person's status (serving, suspended, resigned...)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=10, choices=PersonStatus.choices)
    effective_date = models.DateField()
    reason = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.effective_date:%d/%m/%Y}"


__all__ = [
    "Department",
    "Force",
    "Person",
    "PersonStatus",
    "PersonStatusChange",
    "Rank",
    "Role",
    "RoleType",
    "Team",
    "User",
]
