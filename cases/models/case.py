"""The case and its lifecycle (LIFECYCLE.md level 1).

Transition methods are pure: they check state rules and set fields, nothing else. Services in
``cases/services`` lock the row, check the actor, call the transition, save, log and schedule.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition


class CaseType(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    CONDUCT_MATTER = "conduct", "Conduct matter"
    RECORDABLE_CONDUCT_MATTER = "recordable_conduct", "Recordable conduct matter"
    DSI = "dsi", "Death or serious injury matter"


class Regime(models.TextChoices):
    # Old cases keep their old rules (DOMAIN.md): store the regime on the case.
    R2020 = "2020", "2020 regime (C&M Regs 2020, Conduct Regs 2020)"
    R2012 = "2012", "2012 regime (legacy)"


class Handling(models.TextChoices):
    SCHEDULE_3 = "sch3", "Recorded under Schedule 3"
    OUTSIDE_SCHEDULE_3 = "outside", "Handled outside Schedule 3"
    # A conduct matter that is not recordable (PRA 2002 Sch 3 para 11; C&M Regs 2020 reg 7) is
    # dealt with under the Conduct Regulations directly: never in the Schedule 3 figures.
    CONDUCT_REGULATIONS = "conduct", "Handled under the Conduct Regulations (not recordable)"


class RecordableGround(models.TextChoices):
    """Why a conduct matter must be recorded under Schedule 3: it is one the appropriate
    authority must (or it would be appropriate to) refer to the IOPC (PRA 2002 Sch 3 para
    11(3), (3A)), or its conduct is of a description in C&M Regs 2020 reg 7(1) (para 11(2)(c))."""

    REFERRAL = "referral", "It must, or it would be appropriate to, be referred to the IOPC"
    SERIOUS_ASSAULT = "serious_assault", "A serious assault (reg 7(1)(a))"
    SERIOUS_SEXUAL_OFFENCE = "serious_sexual_offence", "A serious sexual offence (reg 7(1)(b))"
    SERIOUS_CORRUPTION = (
        "serious_corruption",
        (
            "Serious corruption, including abuse of position for a sexual purpose or an improper "
            "emotional relationship (reg 7(1)(c))"
        ),
    )
    DISCRIMINATION = (
        "discrimination",
        (
            "A criminal offence or behaviour liable to lead to disciplinary proceedings, "
            "aggravated by discriminatory behaviour (reg 7(1)(d))"
        ),
    )
    RELEVANT_OFFENCE = "relevant_offence", "A relevant offence (reg 7(1)(e))"
    GRAVITY = (
        "gravity",
        (
            "Conduct whose gravity or other exceptional circumstances make it appropriate to "
            "record (reg 7(1)(f))"
        ),
    )
    CHIEF_OFFICER = (
        "chief_officer",
        (
            "Conduct of a chief officer or the Deputy Commissioner of Police of the Metropolis "
            "(reg 7(1)(g))"
        ),
    )
    SAME_INCIDENT = (
        "same_incident",
        ("Conduct alleged in the same incident as conduct in reg 7(1)(a) to (e) (reg 7(1)(h))"),
    )


class Source(models.TextChoices):
    PUBLIC = "public", "Member of the public"
    INTERNAL = "internal", "Internal report"
    ANONYMOUS_REPORT = "anonymous_report", "Anonymous staff report"
    DATA_AUDIT = "data_audit", "Data audit"
    IOPC = "iopc", "IOPC"
    OTHER = "other", "Other"


class InvestigationMode(models.TextChoices):
    NONE = "none", "No investigation (returned to force)"
    LOCAL = "local", "Local investigation"
    DIRECTED = "directed", "Directed investigation"
    INDEPENDENT = "independent", "Independent (IOPC) investigation"
    OTBI = "otbi", "Handled otherwise than by investigation"


class ComplaintResult(models.TextChoices):
    SERVICE_ACCEPTABLE = "acceptable", "Service provided was acceptable"
    SERVICE_NOT_ACCEPTABLE = "not_acceptable", "Service provided was not acceptable"
    LOOKED_INTO_NFA = "nfa", "Looked into, no further action"
    UPHELD = "upheld", "Upheld (legacy)"
    NOT_UPHELD = "not_upheld", "Not upheld (legacy)"


class State(models.TextChoices):
    RECEIVED = "received", "Received"
    OUTSIDE_SCH3 = "outside_sch3", "Handled outside Schedule 3"
    RECORDED = "recorded", "Recorded"
    REFERRAL_ASSESSMENT = "referral_assessment", "Referral assessment"
    AWAITING_IOPC = "awaiting_iopc", "Referred to the IOPC"
    HANDLING_DECIDED = "handling_decided", "Handling decided"
    INVESTIGATION = "investigation", "Under investigation"
    INDEPENDENT_INVESTIGATION = "independent_investigation", "IOPC independent investigation"
    OTBI = "otbi", "Handled otherwise than by investigation"
    REPORT_SUBMITTED = "report_submitted", "Investigation report submitted"
    DECISIONS = "decisions", "Case to answer decided"
    PROCEEDINGS = "proceedings", "Misconduct proceedings"
    OUTCOME_PROPOSED = "outcome_proposed", "Outcome proposed"
    OUTCOME_APPROVED = "outcome_approved", "Outcome approved"
    FINALISED = "finalised", "Finalised"
    REVIEW_REQUESTED = "review_requested", "Review requested"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DISCONTINUED = "discontinued", "Discontinued"

    @classmethod
    def closed(cls) -> set[str]:
        return {cls.FINALISED, cls.WITHDRAWN, cls.DISCONTINUED}


S = State
# States from which a complainant may withdraw (C&M Regs 2020 Part 5).
WITHDRAWABLE = [
    S.RECORDED,
    S.REFERRAL_ASSESSMENT,
    S.AWAITING_IOPC,
    S.HANDLING_DECIDED,
    S.INVESTIGATION,
    S.INDEPENDENT_INVESTIGATION,
    S.OTBI,
    S.REPORT_SUBMITTED,
    S.DECISIONS,
    S.PROCEEDINGS,
    # C&M Regs 2020 reg 38(4): a complaint may be withdrawn while it is subject to a review.
    S.REVIEW_REQUESTED,
]


class Case(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    case_type = models.CharField(max_length=20, choices=CaseType.choices)
    regime = models.CharField(max_length=4, choices=Regime.choices, default=Regime.R2020)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PUBLIC)
    summary = models.TextField()
    received_on = models.DateField()
    recorded_on = models.DateField(null=True, blank=True)
    handling = models.CharField(max_length=10, choices=Handling.choices, blank=True)
    handling_answers = models.JSONField(
        default=dict,
        blank=True,
        help_text="The structured answers the handling decision was taken on (the PRA 2002 "
        "Sch 3 para 2(6A)/(6B) questions, or the grounds a conduct matter is recordable).",
    )
    investigation_mode = models.CharField(
        max_length=12, choices=InvestigationMode.choices, blank=True
    )
    complaint_result = models.CharField(max_length=16, choices=ComplaintResult.choices, blank=True)
    outcome_sent_on = models.DateField(
        null=True,
        blank=True,
        help_text="Outcome sent to the complainant: starts the review window.",
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    state = FSMField(default=State.RECEIVED, choices=State.choices, protected=True, db_index=True)
    state_before_proposal = models.CharField(max_length=30, blank=True, editable=False)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investigated_cases",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_cases",
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    linked_case = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="E.g. the complaint a conduct matter continued from.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        permissions = [
            ("view_all_cases", "Can see every case (PSD head, appropriate authority, auditor)"),
            ("approve_decision", "Can approve or refuse decisions proposed by others"),
            ("manage_lists", "Can report and remove barred/advisory list entries"),
        ]
        indexes = [
            models.Index(fields=["-received_on", "-id"], name="case_received_keyset_idx"),
            models.Index(fields=["team", "state"], name="case_team_state_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.reference])

    @property
    def is_complaint(self) -> bool:
        return self._is_complaint()

    @property
    def is_closed(self) -> bool:
        return self.state in State.closed()

    # --- Recording ---------------------------------------------------------------------
    def _is_complaint(self) -> bool:
        return self.case_type == CaseType.COMPLAINT

    @transition(field=state, source=S.RECEIVED, target=S.RECORDED)
    def record(self, on):
        """Recorded under Schedule 3 (complaints), or a recordable conduct / DSI matter."""
        self.recorded_on = on
        self.handling = Handling.SCHEDULE_3

    @transition(field=state, source=S.RECEIVED, target=S.OUTSIDE_SCH3, conditions=[_is_complaint])
    def handle_outside_schedule_3(self):
        # PRA 2002 Sch 3 para 2(6A): may be handled outside Schedule 3 unless it must be recorded.
        self.handling = Handling.OUTSIDE_SCHEDULE_3

    def _is_conduct_matter(self) -> bool:
        return self.case_type == CaseType.CONDUCT_MATTER

    @transition(
        field=state, source=S.RECEIVED, target=S.HANDLING_DECIDED, conditions=[_is_conduct_matter]
    )
    def handle_under_conduct_regulations(self):
        """A conduct matter that is not recordable: no Schedule 3 recording, no referral
        assessment; investigated under the Conduct Regulations (Part 3) directly."""
        self.handling = Handling.CONDUCT_REGULATIONS

    @transition(field=state, source=S.OUTSIDE_SCH3, target=S.RECORDED)
    def record_after_outside(self, on):
        """The complainant wants it recorded, or it could not be resolved."""
        self.recorded_on = on
        self.handling = Handling.SCHEDULE_3

    @transition(field=state, source=S.OUTSIDE_SCH3, target=S.FINALISED)
    def resolve_outside(self, at):
        self.finalised_at = at

    # --- IOPC referral -------------------------------------------------------------------
    @transition(field=state, source=S.RECORDED, target=S.REFERRAL_ASSESSMENT)
    def assess_referral(self):
        """The referral assessment itself is a separate record (ReferralAssessment)."""

    @transition(field=state, source=S.REFERRAL_ASSESSMENT, target=S.AWAITING_IOPC)
    def refer_to_iopc(self):
        self.investigation_mode = ""

    @transition(field=state, source=S.REFERRAL_ASSESSMENT, target=S.HANDLING_DECIDED)
    def no_referral(self):
        self.investigation_mode = ""

    @transition(
        field=state,
        source=S.AWAITING_IOPC,
        target=RETURN_VALUE(S.HANDLING_DECIDED, S.INDEPENDENT_INVESTIGATION),
    )
    def iopc_decided(self, mode):
        self.investigation_mode = mode
        if mode == InvestigationMode.INDEPENDENT:
            return S.INDEPENDENT_INVESTIGATION
        return S.HANDLING_DECIDED

    # --- Handling --------------------------------------------------------------------------
    @transition(field=state, source=S.HANDLING_DECIDED, target=S.INVESTIGATION)
    def start_investigation(self):
        if self.investigation_mode in ("", InvestigationMode.NONE, InvestigationMode.OTBI):
            self.investigation_mode = InvestigationMode.LOCAL

    def _may_be_handled_otbi(self) -> bool:
        # OTBI is for complaints only, and not when the IOPC set a mode of investigation.
        return self._is_complaint() and self.investigation_mode in ("", InvestigationMode.NONE)

    @transition(
        field=state, source=S.HANDLING_DECIDED, target=S.OTBI, conditions=[_may_be_handled_otbi]
    )
    def handle_otbi(self):
        self.investigation_mode = InvestigationMode.OTBI

    @transition(
        field=state,
        source=[S.INVESTIGATION, S.INDEPENDENT_INVESTIGATION],
        target=S.REPORT_SUBMITTED,
    )
    def submit_report(self):
        """Investigation report received (from the force investigator or the IOPC)."""

    @transition(field=state, source=S.REPORT_SUBMITTED, target=S.DECISIONS)
    def decide_case_to_answer(self):
        """Case-to-answer decisions for every subject approved (four-eyes)."""

    @transition(field=state, source=S.DECISIONS, target=S.PROCEEDINGS)
    def start_proceedings(self):
        """At least one subject goes to a meeting or hearing."""

    # --- Outcome ---------------------------------------------------------------------------
    @transition(field=state, source=[S.DECISIONS, S.PROCEEDINGS, S.OTBI], target=S.OUTCOME_PROPOSED)
    def propose_outcome(self):
        self.state_before_proposal = self.state

    @transition(
        field=state,
        source=S.OUTCOME_PROPOSED,
        target=RETURN_VALUE(S.DECISIONS, S.PROCEEDINGS, S.OTBI),
    )
    def refuse_outcome(self):
        """Refused with a reason: back to where the proposal came from."""
        previous = self.state_before_proposal or S.DECISIONS
        self.state_before_proposal = ""
        return previous

    @transition(field=state, source=S.OUTCOME_PROPOSED, target=S.OUTCOME_APPROVED)
    def approve_outcome(self):
        self.state_before_proposal = ""

    @transition(field=state, source=S.OUTCOME_APPROVED, target=S.FINALISED)
    def finalise(self, at, result="", outcome_sent_on=None):
        self.finalised_at = at
        if result:
            self.complaint_result = result
        if outcome_sent_on:
            self.outcome_sent_on = outcome_sent_on

    # --- After the outcome ---------------------------------------------------------------
    @transition(field=state, source=S.FINALISED, target=S.REVIEW_REQUESTED)
    def request_review(self):
        """C&M Regs 2020 reg 29(2): within 28 days (the service checks the window)."""

    @transition(field=state, source=S.REVIEW_REQUESTED, target=S.FINALISED)
    def review_not_upheld(self):
        """The review body did not uphold the review: the original outcome stands."""

    @transition(field=state, source=S.REVIEW_REQUESTED, target=S.INVESTIGATION)
    def review_upheld(self):
        """Upheld with a direction to reinvestigate (C&M Regs 2020 reg 30)."""
        self.finalised_at = None
        if self.investigation_mode in ("", InvestigationMode.NONE, InvestigationMode.OTBI):
            self.investigation_mode = InvestigationMode.LOCAL

    @transition(field=state, source=WITHDRAWABLE, target=S.WITHDRAWN, conditions=[_is_complaint])
    def withdraw(self, at):
        # C&M Regs 2020 reg 38: the complainant withdraws; a conduct matter may continue.
        self.finalised_at = at

    @transition(
        field=state, source=[S.INVESTIGATION, S.INDEPENDENT_INVESTIGATION], target=S.DISCONTINUED
    )
    def discontinue(self, at):
        # PRA 2002 Sch 3 para 22: discontinuance (with IOPC agreement where it was referred).
        self.finalised_at = at


class CaseTransition(models.Model):
    """Append-only log of every state change of a case or of one of its subject tracks."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    track = models.ForeignKey(
        "cases.SubjectTrack",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    name = models.CharField(max_length=60)
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_state} → {self.to_state}"


class ComplainantKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Complainant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="complainants")
    kind = models.CharField(
        max_length=12, choices=ComplainantKind.choices, default=ComplainantKind.PERSON
    )
    name = models.CharField(max_length=160, blank=True)
    organisation = models.CharField(max_length=160, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    anonymous = models.BooleanField(default=False)
    acting_for = models.CharField(
        max_length=160, blank=True, help_text="Someone acting on the complainant's behalf."
    )
    person = models.ForeignKey(
        "accounts.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_made",
        help_text="When the complainant serves with the force.",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        if self.anonymous:
            return "Anonymous complainant"
        return self.organisation if self.kind == ComplainantKind.ORGANISATION else self.name
