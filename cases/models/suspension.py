"""Periods an investigation is suspended (C&M Regs 2020 reg 40, pending criminal proceedings;
CR 2020 reg 10(3) delays misconduct proceedings that would prejudice criminal proceedings).

A period is open while ``ended_on`` is empty; the periods of one case never overlap. The
statistics exclude these days from timeliness; a clock whose kind the law stops during a
suspension (``DeadlineKind.pauses_during_suspension``) moves on by the days suspended when the
investigation resumes (cases.clocks.case_resumed).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class SuspensionReason(models.TextChoices):
    CRIMINAL_PROCEEDINGS = "criminal_proceedings", "Would prejudice criminal proceedings"
    OTHER = "other", "Other reason"


class Suspension(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="suspensions")
    started_on = models.DateField()
    ended_on = models.DateField(
        null=True, blank=True, help_text="Empty while the investigation is still suspended."
    )
    reason = models.CharField(max_length=30, choices=SuspensionReason.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_on__isnull=True),
                name="one_open_suspension_per_case",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="suspension_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.ended_on:%d/%m/%Y}" if self.ended_on else "…"
        return f"{self.case} suspended {self.started_on:%d/%m/%Y}–{end}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
