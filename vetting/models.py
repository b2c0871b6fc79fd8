"""Vetting: levels and checks as data, applications with four-eyes refusals and appeals,
clearances per person with their history, and re-vetting triggers.

Police (Vetting) Regulations 2025 (in force 14 May 2025) and the College of Policing Vetting
APP: every officer holds and maintains clearance (reg 5), clearance ends when service ends
(reg 6), forces keep records (reg 7). Vetting data is sensitive: only vetting officers see it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from deadlines.calendar import add_months


class VettingLevel(models.Model):
    """RV, MV, NPPV1-3 (renewed at an editable interval) and the national security levels
    CTC/SC/DV, which are managed elsewhere and only recorded here."""

    code = models.SlugField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    renewal_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Months a clearance lasts before re-vetting. Blank for recorded-only levels.",
    )
    recorded_only = models.BooleanField(
        default=False, help_text="National security levels: recorded here, renewed elsewhere."
    )
    order = models.PositiveSmallIntegerField(
        unique=True, help_text="Higher means a higher level of clearance."
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recorded_only=True) | Q(renewal_months__gt=0),
                name="vetting_level_managed_has_interval",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code.upper()})"

    @property
    def label(self) -> str:
        return self.code.upper()

    def expiry_for(self, granted_on):
        """The expiry date the level's renewal interval gives (None for recorded-only)."""
        if self.recorded_only or not self.renewal_months:
            return None
        return add_months(granted_on, self.renewal_months)


class VettingCheck(models.Model):
    """One line of the checklist (PNC, PND, local intelligence, financial, lists...)."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    mandatory = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RefusalReason(models.Model):
    """Category of a refusal, reported in the figures (data, editable)."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A post and the clearance level it needs (the post -> required level table)."""

    name = models.CharField(max_length=120)
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    required_level = models.ForeignKey(VettingLevel, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "department"], name="vetting_post_unique")
        ]

    def __str__(self) -> str:
        where = f", {self.department}" if self.department_id else ""
        return f"{self.name}{where} ({self.required_level.label})"


class Applicant(models.Model):
    """Someone applying from outside. When they join, ``person`` links the record to the
    register and any clearance granted to them is created for that person."""

    forename = models.CharField(max_length=80)
    surname = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    person = models.OneToOneField(
        "accounts.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vetting_applicant",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surname", "forename", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"


class ApplicationStatus(models.TextChoices):
    OPEN = "open", "Open"
    REFUSAL_PROPOSED = "refusal_proposed", "Refusal proposed"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def undecided(cls) -> set[str]:
        return {cls.OPEN, cls.REFUSAL_PROPOSED}


class VettingApplication(ConcurrentTransitionMixin, models.Model):
    """An application for a level of clearance, by an applicant or an existing person."""

    applicant = models.ForeignKey(
        Applicant, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    person = models.ForeignKey(
        "accounts.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vetting_applications",
    )
    level = models.ForeignKey(VettingLevel, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT)
    received_on = models.DateField()
    status = FSMField(
        default=ApplicationStatus.OPEN, choices=ApplicationStatus.choices, protected=True
    )
    # A refusal is proposed by one vetting officer and approved by another (four-eyes).
    refusal_reason = models.ForeignKey(
        RefusalReason, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    refusal_details = models.TextField(blank=True)
    refusal_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_proposed_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_on = models.DateField(null=True, blank=True, help_text="Set when granted.")
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant__isnull=True, person__isnull=False)
                | Q(applicant__isnull=False, person__isnull=True),
                name="vetting_application_applicant_xor_person",
            )
        ]
        indexes = [models.Index(fields=["status", "received_on"])]

    def __str__(self) -> str:
        return f"{self.level.label} application: {self.subject_name}"

    def get_absolute_url(self) -> str:
        return reverse("vetting:application_detail", args=[self.pk])

    @property
    def subject(self):
        return self.person if self.person_id else self.applicant

    @property
    def subject_name(self) -> str:
        return self.subject.full_name

    @property
    def subject_person(self):
        """The register entry the clearance belongs to (the applicant's once they joined)."""
        if self.person_id:
            return self.person
        return self.applicant.person if self.applicant.person_id else None

    @property
    def is_undecided(self) -> bool:
        return self.status in ApplicationStatus.undecided()

    # Transitions are pure; the services lock, check the actor and save.
    @transition(field=status, source=ApplicationStatus.OPEN, target=ApplicationStatus.GRANTED)
    def grant(self, *, by, on, expires_on) -> None:
        self.decided_by, self.decided_on, self.expires_on = by, on, expires_on

    @transition(
        field=status, source=ApplicationStatus.OPEN, target=ApplicationStatus.REFUSAL_PROPOSED
    )
    def propose_refusal(self, *, by, at, reason, details) -> None:
        self.refusal_proposed_by, self.refusal_proposed_at = by, at
        self.refusal_reason, self.refusal_details = reason, details

    @transition(
        field=status, source=ApplicationStatus.REFUSAL_PROPOSED, target=ApplicationStatus.REFUSED
    )
    def approve_refusal(self, *, by, on) -> None:
        self.decided_by, self.decided_on = by, on

    @transition(
        field=status, source=ApplicationStatus.REFUSAL_PROPOSED, target=ApplicationStatus.OPEN
    )
    def reject_refusal(self) -> None:
        self.refusal_proposed_by = self.refusal_proposed_at = self.refusal_reason = None
        self.refusal_details = ""

    @transition(
        field=status,
        source=[ApplicationStatus.OPEN, ApplicationStatus.REFUSAL_PROPOSED],
        target=ApplicationStatus.WITHDRAWN,
    )
    def withdraw(self, *, by, on, reason) -> None:
        self.decided_by, self.decided_on, self.withdrawn_reason = by, on, reason

    @transition(field=status, source=ApplicationStatus.REFUSED, target=ApplicationStatus.OPEN)
    def reopen_on_appeal(self) -> None:
        self.decided_by = self.decided_on = None


class CheckOutcome(models.TextChoices):
    CLEAR = "clear", "Clear"
    CONCERN = "concern", "Concern"


class CheckResult(models.Model):
    application = models.ForeignKey(
        VettingApplication, on_delete=models.CASCADE, related_name="check_results"
    )
    check_item = models.ForeignKey(VettingCheck, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(max_length=10, choices=CheckOutcome.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["check_item__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "check_item"], name="one_result_per_check"
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_item}: {self.get_result_display()}"


class ListType(models.TextChoices):
    BARRED = "barred", "Barred list"
    ADVISORY = "advisory", "Advisory list"


class MatchResolution(models.TextChoices):
    NOT_SAME = "not_same", "Not the same person"
    SAME_REFUSE = "same_refuse", "Same person — refuse"


class ListMatchResolution(models.Model):
    """How a vetting officer resolved a possible barred/advisory list match (Barred List
    Regs 2017; Vetting APP: both lists are checked before anyone is appointed)."""

    application = models.ForeignKey(
        VettingApplication, on_delete=models.CASCADE, related_name="list_resolutions"
    )
    entry_type = models.CharField(max_length=10, choices=ListType.choices)
    entry_id = models.PositiveBigIntegerField()
    resolution = models.CharField(max_length=12, choices=MatchResolution.choices)
    reason = models.TextField()
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resolved_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "entry_type", "entry_id"], name="one_resolution_per_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} #{self.entry_id}: {self.get_resolution_display()}"


class AppealOutcome(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


class Appeal(models.Model):
    """An appeal against a refusal. Upheld: the application is reconsidered (open again)."""

    application = models.OneToOneField(
        VettingApplication, on_delete=models.CASCADE, related_name="appeal"
    )
    lodged_on = models.DateField()
    grounds = models.TextField()
    outcome = models.CharField(
        max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Appeal: {self.get_outcome_display()}"


class ClearanceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded by a later clearance"

    @classmethod
    def current(cls) -> set[str]:
        return {cls.ACTIVE, cls.SUSPENDED}


class Clearance(models.Model):
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, related_name="clearances"
    )
    level = models.ForeignKey(VettingLevel, on_delete=models.PROTECT, related_name="+")
    application = models.OneToOneField(
        VettingApplication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clearance",
    )
    granted_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    # Changed only by the services (which write a ClearanceEvent) and the expiry sweep.
    status = models.CharField(
        max_length=12, choices=ClearanceStatus.choices, default=ClearanceStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("granted_on")),
                name="clearance_expires_after_grant",
            )
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.level.label} for {self.person.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("vetting:person", args=[self.person_id])


class ClearanceEventKind(models.TextChoices):
    GRANTED = "granted", "Granted"
    RECORDED = "recorded", "Recorded"
    SUSPENDED = "suspended", "Suspended"
    REINSTATED = "reinstated", "Reinstated"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded"


class ClearanceEvent(models.Model):
    """History of a clearance (Vetting Regs 2025 reg 7: forces keep records)."""

    clearance = models.ForeignKey(Clearance, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=ClearanceEventKind.choices)
    on = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            # The sweep expires a clearance once, however often it runs.
            models.UniqueConstraint(
                fields=["clearance"], condition=Q(kind="expired"), name="one_expiry_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on:%d/%m/%Y}"


class TriggerKind(models.TextChoices):
    POST_CHANGE = "post_change", "Promotion or move to a post needing a higher level"
    CONDUCT = "conduct", "Conduct outcome (final written warning or worse)"
    CIRCUMSTANCES = "circumstances", "Reported change of circumstances"


class RevettingTrigger(models.Model):
    """Something that brings re-vetting forward (DOMAIN.md "Vetting": re-vetting triggers).
    Open until a later clearance is granted to the person (``closed_on``)."""

    person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, related_name="revetting_triggers"
    )
    kind = models.CharField(max_length=15, choices=TriggerKind.choices)
    reason = models.TextField()
    raised_on = models.DateField()
    due_on = models.DateField()
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT)
    outcome = models.ForeignKey(
        "cases.Outcome", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # A conduct outcome triggers re-vetting once, even if the signal is sent twice.
            models.UniqueConstraint(
                fields=["person", "outcome"],
                condition=Q(outcome__isnull=False),
                name="one_trigger_per_outcome",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("raised_on")), name="trigger_due_not_before_raised"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (due {self.due_on:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
