"""College of Policing barred and advisory lists (Police Barred List and Police Advisory List
Regulations 2017)."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class ListStatus(models.TextChoices):
    TO_REPORT = "to_report", "To report to the College"
    REPORTED = "reported", "Reported"
    REMOVED = "removed", "Removed"


class ListEntryBase(models.Model):
    """Identity details are copied at creation, as the College report needs them as they were."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forename = models.CharField(max_length=80)
    surname = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    rank = models.CharField(max_length=60, blank=True)
    number = models.CharField(max_length=20)
    force = models.CharField(max_length=120)
    role_type = models.CharField(max_length=20)
    event_date = models.DateField()
    report_due = models.DateField()
    reported_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ListStatus.choices, default=ListStatus.TO_REPORT
    )
    removed_on = models.DateField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    legacy = models.BooleanField(default=False, help_text="Imported (e.g. disapproved register).")

    class Meta:
        abstract = True
        ordering = ["-event_date", "-id"]

    def get_absolute_url(self) -> str:
        return reverse("cases:lists")

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def is_active(self) -> bool:
        return self.status != ListStatus.REMOVED


class BarredListEntry(ListEntryBase):
    """Reg 3: after dismissal or a 'would have been dismissed' finding."""

    outcome = models.OneToOneField(
        "cases.Outcome",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="barred_list_entry",
    )
    reasons = models.TextField(help_text="Description of the conduct and the reasons.")
    standards_breached = models.TextField(blank=True)
    advisory_entry = models.ForeignKey(
        "cases.AdvisoryListEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An earlier advisory-list report, if any.",
    )

    class Meta(ListEntryBase.Meta):
        verbose_name_plural = "barred list entries"

    def __str__(self) -> str:
        return f"Barred: {self.full_name} ({self.number})"


class AdvisoryReason(models.TextChoices):
    RESIGNED = "resigned", "Resigned while under investigation or proceedings"
    RETIRED = "retired", "Retired while under investigation or proceedings"
    VOLUNTEER = "volunteer", "Volunteer whose designation was withdrawn"


class AdvisoryListEntry(ListEntryBase):
    """Reg 12: left while under investigation or proceedings (5 working days to report)."""

    reason = models.CharField(max_length=10, choices=AdvisoryReason.choices)
    details = models.TextField(blank=True)

    class Meta(ListEntryBase.Meta):
        verbose_name_plural = "advisory list entries"

    def __str__(self) -> str:
        return f"Advisory: {self.full_name} ({self.number})"
