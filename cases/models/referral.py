"""IOPC referral, review requests and the criminal route."""

from django.conf import settings
from django.db import models

from .case import InvestigationMode


class ReferralAssessment(models.Model):
    """Which referral criteria apply (PRA 2002 Sch 3 paras 4 and 13; C&M Regs 2020 reg 4)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="referral_assessments"
    )
    criteria = models.ManyToManyField("cases.ReferralCriterion", blank=True, related_name="+")
    voluntary = models.BooleanField(default=False, help_text="Referred although no criterion met.")
    called_in = models.BooleanField(default=False, help_text="The IOPC called the matter in.")
    rationale = models.TextField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"Referral assessment for {self.case}"


class IOPCReferral(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    referred_on = models.DateField()
    iopc_reference = models.CharField(max_length=40, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision_on = models.DateField(null=True, blank=True)
    mode = models.CharField(max_length=12, choices=InvestigationMode.choices, blank=True)
    decision_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = "IOPC referral"

    def __str__(self) -> str:
        return f"IOPC referral of {self.case} on {self.referred_on:%d/%m/%Y}"


class ReviewBody(models.TextChoices):
    # C&M Regs 2020 reg 32: the IOPC for serious/referred complaints, otherwise the LPB.
    IOPC = "iopc", "IOPC"
    LPB = "lpb", "Local policing body"


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class ReviewRequest(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reviews")
    received_on = models.DateField()
    body = models.CharField(max_length=4, choices=ReviewBody.choices)
    out_of_time_accepted = models.BooleanField(
        default=False, help_text="Accepted after the 28-day window (reg 29(3) extension)."
    )
    extension_reason = models.TextField(blank=True)
    result = models.CharField(max_length=12, choices=ReviewResult.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    recommendations = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.case} ({self.get_body_display()})"


class CriminalReferral(models.Model):
    """The criminal route for one subject: CPS referral, charging decision, court result."""

    track = models.ForeignKey(
        "cases.SubjectTrack", on_delete=models.CASCADE, related_name="criminal_referrals"
    )
    referred_to_cps_on = models.DateField()
    charging_decision = models.CharField(max_length=200, blank=True)
    charging_decision_on = models.DateField(null=True, blank=True)
    court_result = models.CharField(max_length=200, blank=True)
    court_result_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_to_cps_on"]

    def __str__(self) -> str:
        return f"CPS referral {self.referred_to_cps_on:%d/%m/%Y}"
