"""College of Policing barred and advisory lists (Police Barred List and Police Advisory List
Regulations 2017)."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class ListStatus(models.TextChoices):
    TO_REPORT = "to_report", "To report to the College"
    REPORTED = "reported", "Reported"
    # Police Act 1996 s88F (barred) / s88L (advisory): an event after which the relevant
    # authority makes a further report, on which the College removes the person.
    TO_REMOVE = "to_remove", "Further report to make (removal)"
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
    role_type = models.CharField(max_length=40)
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
    # The further report (s88F barred list, s88L advisory list) and the event that calls for it.
    further_event_on = models.DateField(
        null=True, blank=True, help_text="The date of the event that calls for a further report."
    )
    further_reason = models.TextField(blank=True)
    further_report_due = models.DateField(null=True, blank=True)
    further_reported_on = models.DateField(null=True, blank=True)

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


class BarredParagraph(models.TextChoices):
    """Police Act 1996 s88A(1): which duty to report applies."""

    OFFICER_DISMISSED = "a", "s88A(1)(a): police officer or special constable dismissed"
    FORMER_OFFICER = "b", "s88A(1)(b): former officer or special — would have been dismissed"
    STAFF_DISMISSED = "c", "s88A(1)(c): civilian police employee dismissed"
    FORMER_STAFF = "d", "s88A(1)(d): former civilian police employee — would have been dismissed"

    @property
    def capacity(self) -> str:
        """Reg 3(2)(d): what P was at the relevant time."""
        return {
            "a": "Police officer",
            "b": "Former police officer",
            "c": "Civilian police employee",
            "d": "Former civilian police employee",
        }[self.value]


class DismissalGround(models.TextChoices):
    CONDUCT = "conduct", "Conduct"
    PERFORMANCE = "performance", "Performance (efficiency or effectiveness)"


class BarredListEntry(ListEntryBase):
    """Reg 3: after dismissal or a 'would have been dismissed' finding."""

    paragraph = models.CharField(max_length=1, choices=BarredParagraph.choices, blank=True)
    ground = models.CharField(
        max_length=12, choices=DismissalGround.choices, default=DismissalGround.CONDUCT
    )
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

    @property
    def capacity(self) -> str:
        return BarredParagraph(self.paragraph).capacity if self.paragraph else self.role_type


class AdvisoryReason(models.TextChoices):
    RESIGNED = "resigned", "Resigned while under investigation or proceedings"
    RETIRED = "retired", "Retired while under investigation or proceedings"
    VOLUNTEER = "volunteer", "Volunteer whose designation was withdrawn"
    STOPPED = "stopped", "Volunteer who stopped volunteering after an allegation"


class AdvisoryParagraph(models.TextChoices):
    """Police Act 1996 s88I(1): which duty to report applies."""

    LEFT_DURING = "a", "s88I(1)(a): resigned or retired while an allegation was being dealt with"
    AROSE_AFTER = "b", "s88I(1)(b): allegation came to attention after resigning or retiring"
    VOLUNTEER_WITHDRAWN = "c", "s88I(1)(c): volunteer's designation withdrawn"
    VOLUNTEER_STOPPED = "d", "s88I(1)(d): volunteer stopped after an allegation"


class AdvisoryRemoval(models.TextChoices):
    """Police Act 1996 s88L(1): why the further report (and removal) is due."""

    NO_PROCEEDINGS = "no_proceedings", "Determined that no disciplinary proceedings will be brought"
    WITHDRAWN = "withdrawn", "Disciplinary proceedings withdrawn"
    CONCLUDED = "concluded", "Proceedings concluded without a 'would have been dismissed' finding"


class AdvisoryListEntry(ListEntryBase):
    """Reg 12: left while under investigation or proceedings, or a volunteer's designation
    withdrawn or decision to stop (5 working days to report)."""

    reason = models.CharField(max_length=10, choices=AdvisoryReason.choices)
    details = models.TextField(blank=True)
    paragraph = models.CharField(max_length=1, choices=AdvisoryParagraph.choices, blank=True)
    track = models.ForeignKey(
        "cases.SubjectTrack",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advisory_entries",
        help_text="The subject's track in the case whose allegation this entry is about.",
    )
    left_on = models.DateField(
        null=True, blank=True, help_text="Reg 12(2)(e)(ii): the date P ceased to serve."
    )
    allegation_summary = models.TextField(
        blank=True, help_text="Reg 12(2)(d)(v)/(e)(iv): a summary of the relevant allegation."
    )
    proceedings_form = models.CharField(
        max_length=40,
        blank=True,
        help_text="Reg 12(2)(d)(vi): the form of the disciplinary proceedings, if brought.",
    )
    removal = models.CharField(max_length=16, choices=AdvisoryRemoval.choices, blank=True)

    class Meta(ListEntryBase.Meta):
        verbose_name_plural = "advisory list entries"

    def __str__(self) -> str:
        return f"Advisory: {self.full_name} ({self.number})"
