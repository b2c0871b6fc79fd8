"""Users, teams and the personnel register (officers, specials, PCSOs, police staff and
designated police volunteers)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse

from psd.roles import DASHBOARD_PERMISSION, Role


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
    """A PSD system user. Roles are groups (see ``psd.roles``)."""

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
    # Police Reform Act 2002 s38(1A): a chief officer may designate a police volunteer as a
    # community support volunteer or a policing support volunteer. Which of the two is part of
    # an advisory-list report (Barred List Regs 2017 reg 12(2)(f)(i)).
    COMMUNITY_VOLUNTEER = "csv", "Community support volunteer"
    POLICING_VOLUNTEER = "psv", "Policing support volunteer"

    @classmethod
    def holding_rank(cls) -> set[str]:
        """Role types that hold a police rank (police staff, PCSOs and volunteers do not)."""
        return {cls.OFFICER, cls.SPECIAL}

    @classmethod
    def volunteers(cls) -> set[str]:
        """Designated volunteers: neither employed nor members of the force."""
        return {cls.COMMUNITY_VOLUNTEER, cls.POLICING_VOLUNTEER}


class PersonStatus(models.TextChoices):
    SERVING = "serving", "Serving"
    SUSPENDED = "suspended", "Suspended"
    RESIGNED = "resigned", "Resigned"
    RETIRED = "retired", "Retired"
    DISMISSED = "dismissed", "Dismissed"
    # A designated volunteer stops serving in one of two ways (Police Act 1996 s88I(1)(c)-(d)).
    WITHDRAWN = "withdrawn", "Designation withdrawn"
    STOPPED = "stopped", "Stopped volunteering"

    @classmethod
    def left_service(cls) -> set[str]:
        return {cls.RESIGNED, cls.RETIRED, cls.DISMISSED, *cls.volunteer_left()}

    @classmethod
    def volunteer_left(cls) -> set[str]:
        """How a volunteer leaves; they are not employed, so never resign, retire or are
        dismissed."""
        return {cls.WITHDRAWN, cls.STOPPED}


class WithdrawalGround(models.TextChoices):
    """Police Act 1996 s88I(1)(c): whether the reason, or one of the reasons, for withdrawing a
    volunteer's designation relates to conduct, efficiency or effectiveness."""

    CONDUCT = "conduct", "A reason relates to conduct"
    EFFICIENCY = "efficiency", "A reason relates to efficiency or effectiveness"
    OTHER = "other", "No reason relates to conduct, efficiency or effectiveness"

    @classmethod
    def reportable(cls) -> set[str]:
        return {cls.CONDUCT, cls.EFFICIENCY}


# A detective designation before the rank's abbreviation (College of Policing usage).
DETECTIVE_TITLES = {
    "PC": "DC",
    "PS": "DS",
    "Insp": "DI",
    "CI": "DCI",
    "Supt": "Det Supt",
    "C/Supt": "Det Ch Supt",
}


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
    detective = models.BooleanField(
        "detective",
        default=False,
        help_text="A police officer holding a detective designation (DC, DS, DI…).",
    )
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
    def rank_title(self) -> str:
        """How the rank is written before a name: "PC", "DC" for a detective constable, "SC"
        for a special constable ("Special Sergeant" above it), "" without a rank."""
        if not self.rank_id:
            return ""
        short = self.rank.abbreviation or self.rank.name
        if self.role_type == RoleType.SPECIAL:
            return "SC" if short == "PC" else f"Special {self.rank.name}"
        if self.detective:
            return DETECTIVE_TITLES.get(short, f"Detective {self.rank.name}")
        return short

    @property
    def rank_and_name(self) -> str:
        title = self.rank_title
        return f"{title} {self.full_name}" if title else self.full_name


class PersonStatusChange(models.Model):
    """Dated history of a person's status (serving, suspended, resigned...)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=10, choices=PersonStatus.choices)
    effective_date = models.DateField()
    reason = models.CharField(max_length=500, blank=True)
    grounds = models.CharField(
        "grounds for withdrawal",
        max_length=10,
        choices=WithdrawalGround.choices,
        blank=True,
        help_text="A volunteer's designation withdrawn: do the reasons relate to conduct, "
        "efficiency or effectiveness? (Police Act 1996 s88I(1)(c))",
    )
    noticed_on = models.DateField(
        "came to attention on",
        null=True,
        blank=True,
        help_text="A volunteer's decision to stop volunteering: the date it came to the force's "
        "attention (Barred List Regs 2017 reg 12(1)(b)).",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.effective_date:%d/%m/%Y}"


class GrantKind(models.TextChoices):
    ROLE_ADD = "role_add", "Give a role"
    ROLE_REMOVE = "role_remove", "Take away a role"
    OBJECT_PERMISSION_ADD = "object_add", "Give a permission on one record"
    OBJECT_PERMISSION_REMOVE = "object_remove", "Take away a permission on one record"
    PERSON_LINK = "person_link", "Link a person to a user account (or unlink)"


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "Approved and in effect"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class GrantRequest(models.Model):
    """A change to who may see or do what, proposed by one administrator and put into effect
    only when a second one approves it (four-eyes; issue 20). Neither may be the person it
    benefits. Role membership, object permissions and the person <-> user link (which hides a
    case from its own subject) change only through these rows: ``accounts.grants``."""

    kind = models.CharField(max_length=20, choices=GrantKind.choices)
    status = models.CharField(
        max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants_received",
        help_text="The account that gains or loses access (none: unlink the person).",
    )
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    permission = models.ForeignKey(
        "auth.Permission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_pk = models.CharField(max_length=64, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="link_requests"
    )
    reason = models.CharField(max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grants_requested"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        permissions = [("manage_grants", "Can propose and approve role and access grants")]
        constraints = [
            # Four-eyes: the approver is never the proposer, and neither is the grantee.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")),
                name="grant_four_eyes",
            ),
            models.CheckConstraint(
                condition=~models.Q(grantee=models.F("requested_by")),
                name="grant_not_requested_for_oneself",
            ),
            models.CheckConstraint(
                condition=~models.Q(grantee=models.F("decided_by")),
                name="grant_not_approved_for_oneself",
            ),
        ]

    def __str__(self) -> str:
        return f"Grant request {self.pk}: {self.get_kind_display()}"


class ApiToken(models.Model):
    """A user's personal API key, stored as its SHA-256 digest (issue 20; was DRF's plaintext
    authtoken). The key is 32 random bytes shown once when issued; a fast hash suffices for a
    256-bit random secret (no guessing is feasible, unlike a password) and keeps each request's
    check to one indexed lookup. ``prefix`` (the key's first characters) lets its owner tell
    keys apart; it is far too short to help a guesser. Issued and revoked in ``api.services``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token {self.prefix}… of user {self.user_id}"


__all__ = [
    "ApiToken",
    "Department",
    "GrantKind",
    "GrantRequest",
    "GrantStatus",
    "Force",
    "Person",
    "PersonStatus",
    "PersonStatusChange",
    "Rank",
    "Role",
    "RoleType",
    "Team",
    "User",
    "WithdrawalGround",
]
