"""Police staff outcomes (the force's own disciplinary policy) and appeals against outcomes.

Police staff (and PCSOs, who are police staff) are not under the Police (Conduct) Regulations
2020 (reg 4: they apply to police officers and special constables): their outcomes come from
the force's staff disciplinary policy, kept here as a list administrators and the PSD head edit.

An appeal is its own record: after a misconduct meeting to the appropriate authority (CR 2020
reg 45), after a misconduct hearing or accelerated hearing to the Police Appeals Tribunal
(Police Appeals Tribunals Rules 2020).
"""

from django.conf import settings
from django.db import models


class StaffOutcomeKind(models.Model):
    """One outcome of the force's staff disciplinary policy (data, not code)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    barred_list_dismissal = models.BooleanField(
        default=False,
        help_text="A dismissal (with or without notice): reported to the barred list "
        "(Police Act 1996 s88A(1)(c)).",
    )
    live_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Months a warning stays live under the staff policy; blank if not a warning.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Offered for new outcomes.")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "staff disciplinary outcome"

    def __str__(self) -> str:
        return self.name


class AppealKind(models.TextChoices):
    # CR 2020 reg 45: after a misconduct meeting, to the appropriate authority.
    APPROPRIATE_AUTHORITY = "aa", "Appeal to the appropriate authority (CR 2020 reg 45)"
    # Police Act 1996 s85; PAT Rules 2020: after a misconduct hearing or accelerated hearing.
    TRIBUNAL = "pat", "Police Appeals Tribunal"


class AppealResult(models.TextChoices):
    PENDING = "", "Not yet decided"
    DISMISSED = "dismissed", "Appeal dismissed: the outcome stands"
    VARIED = "varied", "Outcome varied"
    OVERTURNED = "overturned", "Finding overturned"


class Appeal(models.Model):
    """One appeal against one subject's outcome on one allegation."""

    track = models.ForeignKey(
        "cases.SubjectTrack", on_delete=models.CASCADE, related_name="appeals"
    )
    outcome = models.ForeignKey(
        "cases.Outcome",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        help_text="The outcome appealed against (blank for appeals recorded before issue 18).",
    )
    kind = models.CharField(max_length=3, choices=AppealKind.choices)
    lodged_on = models.DateField()
    window_ends_on = models.DateField(null=True, blank=True)
    in_time = models.BooleanField(
        null=True, blank=True, help_text="Lodged within the window (blank: not known)."
    )
    extension_reason = models.TextField(
        blank=True, help_text="Why an appeal out of time was accepted."
    )
    grounds = models.TextField()
    result = models.CharField(
        max_length=10, choices=AppealResult.choices, blank=True, default=AppealResult.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)
    result_reasons = models.TextField(blank=True)
    varied_outcome = models.OneToOneField(
        "cases.Outcome",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="varied_by_appeal",
        help_text="The outcome substituted on appeal.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["lodged_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome"],
                condition=models.Q(outcome__isnull=False),
                name="one_appeal_per_outcome",
            ),
            models.UniqueConstraint(
                fields=["track"], condition=models.Q(result=""), name="one_open_appeal_per_track"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} lodged {self.lodged_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return self.track.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.result == AppealResult.PENDING
