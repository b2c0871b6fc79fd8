"""Allegations, the people they are about, and each person's track (LIFECYCLE.md level 2)."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class Allegation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="allegations")
    number = models.PositiveSmallIntegerField(help_text="1, 2, 3… within the case.")
    summary = models.TextField()
    category = models.ForeignKey("cases.AllegationCategory", on_delete=models.PROTECT)
    standards = models.ManyToManyField("cases.Standard", blank=True, related_name="+")
    about_force = models.BooleanField(
        "about the force/service",
        default=False,
        help_text="About the service the force provided, not about a particular person.",
    )
    subjects = models.ManyToManyField(
        "accounts.Person", through="AllegationSubject", related_name="allegations"
    )
    withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="allegation_number_unique")
        ]

    def __str__(self) -> str:
        return f"Allegation {self.number}"


class AllegationSubject(models.Model):
    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE)
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["allegation", "person"], name="allegation_subject_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.allegation}"


class Severity(models.TextChoices):
    # CR 2020 reg 14: severity assessment; PRI routes to reflective practice (Part 6).
    NO_MISCONDUCT = "none", "No misconduct"
    PRI = "pri", "Practice requiring improvement"
    MISCONDUCT = "misconduct", "Misconduct"
    GROSS_MISCONDUCT = "gross", "Gross misconduct"


class TrackState(models.TextChoices):
    PENDING = "pending", "Awaiting severity assessment"
    SEVERITY_ASSESSED = "severity_assessed", "Severity assessed"
    NOTICE_SERVED = "notice_served", "Regulation 17 notice served"
    AWAITING_DECISION = "awaiting_decision", "Awaiting case-to-answer decision"
    NO_CASE_TO_ANSWER = "no_case_to_answer", "No case to answer"
    CASE_TO_ANSWER = "case_to_answer", "Case to answer"
    MEETING = "meeting", "Misconduct meeting"
    HEARING = "hearing", "Misconduct hearing"
    ACCELERATED_HEARING = "accelerated_hearing", "Accelerated hearing"
    OUTCOME = "outcome", "Proceedings concluded"
    RPRP = "rprp", "Reflective practice"
    RPRP_COMPLETE = "rprp_complete", "Reflective practice complete"
    NO_ACTION = "no_action", "No further action"
    # An appeal against the outcome is pending (the Appeal record says to whom).
    APPEAL = "appeal", "Appeal pending"

    @classmethod
    def concluded(cls) -> set[str]:
        """Tracks the case no longer waits for (the RPRP runs on by itself)."""
        return {cls.OUTCOME, cls.RPRP, cls.RPRP_COMPLETE, cls.NO_ACTION, cls.APPEAL}

    @classmethod
    def in_proceedings(cls) -> set[str]:
        return {cls.MEETING, cls.HEARING, cls.ACCELERATED_HEARING}

    @classmethod
    def no_proceedings(cls) -> set[str]:
        """States in which it has been determined that no disciplinary proceedings will be
        brought (Police Act 1996 s88I(2), s88L(1)(a)): no case to answer, reflective practice,
        no further action. A severity of no misconduct or PRI counts too (see the lists
        service)."""
        return {cls.NO_CASE_TO_ANSWER, cls.RPRP, cls.RPRP_COMPLETE, cls.NO_ACTION}

    @classmethod
    def proceedings_concluded(cls) -> set[str]:
        return {cls.OUTCOME, cls.APPEAL}


class Forum(models.TextChoices):
    NONE = "", "No proceedings"
    MEETING = "meeting", "Misconduct meeting"
    HEARING = "hearing", "Misconduct hearing"
    ACCELERATED_HEARING = "accelerated_hearing", "Accelerated hearing"


T = TrackState


class SubjectTrack(ConcurrentTransitionMixin, models.Model):
    """One person's path through one case: severity, notice, decision, proceedings, outcome."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tracks")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="tracks")
    state = FSMField(default=T.PENDING, choices=T.choices, protected=True)
    severity = models.CharField(max_length=12, choices=Severity.choices, blank=True)
    special_case = models.BooleanField(
        default=False, help_text="CR 2020 reg 53: evidence incontrovertible, gross misconduct."
    )
    severity_assessed_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the (latest) severity assessment: the date CR 2020 reg 42(5) "
        "judges a live final written warning on.",
    )
    notice_served_on = models.DateField(null=True, blank=True)
    case_to_answer_for = models.CharField(
        max_length=12,
        choices=[
            (Severity.MISCONDUCT, "Misconduct"),
            (Severity.GROSS_MISCONDUCT, "Gross misconduct"),
        ],
        blank=True,
        help_text="CR 2020 reg 23(1)(a): what the case to answer is for.",
    )
    proceedings_brought = models.BooleanField(
        null=True,
        blank=True,
        help_text="CR 2020 reg 23(1)(b): whether misconduct proceedings are brought on a case "
        "to answer (empty: not decided, or decided before this was recorded).",
    )
    forum = models.CharField(max_length=20, choices=Forum.choices, blank=True)
    proceedings_date = models.DateField(null=True, blank=True)
    proceedings_notice_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    left_service_while_open = models.BooleanField(default=False)
    criminal_referral = models.BooleanField(default=False)
    proceedings_paused = models.BooleanField(
        default=False, help_text="Paused while criminal proceedings run."
    )

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="one_track_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.case}"

    def get_absolute_url(self) -> str:
        return f"{self.case.get_absolute_url()}#track-{self.pk}"

    @property
    def is_concluded(self) -> bool:
        return self.state in TrackState.concluded()

    def _severity_is(*values):
        def check(self) -> bool:
            return self.severity in values

        return check

    @property
    def answer_level(self) -> str:
        """What the case to answer is for: as decided, else (older decisions) as assessed."""
        return self.case_to_answer_for or self.severity

    @transition(
        field=state,
        source=[T.PENDING, T.SEVERITY_ASSESSED, T.NOTICE_SERVED],
        target=T.SEVERITY_ASSESSED,
    )
    def assess_severity(self, severity, special_case=False, on=None):
        # After a reg 17 notice, a revised assessment needs a new notice: the old one no
        # longer states the severity (C&M Regs 2020 reg 19(5); CR 2020 reg 17).
        self.severity = severity
        self.special_case = special_case and severity == Severity.GROSS_MISCONDUCT
        self.severity_assessed_on = on
        self.notice_served_on = None

    @transition(
        field=state,
        source=T.SEVERITY_ASSESSED,
        target=T.NOTICE_SERVED,
        conditions=[_severity_is(Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT)],
    )
    def serve_notice(self, on):
        # CR 2020 reg 17: written notice to the subject of what is alleged and its severity.
        self.notice_served_on = on

    def _no_proceedings(self) -> bool:
        return self.state != T.CASE_TO_ANSWER or self.proceedings_brought is False

    def _proceedings(self) -> bool:
        return self.proceedings_brought is not False

    @transition(
        field=state,
        source=[T.SEVERITY_ASSESSED, T.NO_CASE_TO_ANSWER, T.CASE_TO_ANSWER],
        target=T.RPRP,
        conditions=[_no_proceedings],
    )
    def refer_to_rprp(self):
        # CR 2020 Part 6 (regs 66-70): practice requiring improvement -> reflective practice.
        self.severity = self.severity or Severity.PRI

    @transition(
        field=state,
        source=T.SEVERITY_ASSESSED,
        target=T.NO_ACTION,
        conditions=[_severity_is(Severity.NO_MISCONDUCT)],
    )
    def no_misconduct(self, on):
        self.concluded_on = on

    @transition(
        field=state,
        source=[T.NO_CASE_TO_ANSWER, T.CASE_TO_ANSWER],
        target=T.NO_ACTION,
        conditions=[_no_proceedings],
    )
    def no_further_action(self, on):
        self.concluded_on = on

    @transition(field=state, source=T.NOTICE_SERVED, target=T.AWAITING_DECISION)
    def report_received(self):
        """The investigation report is in: a case-to-answer decision is due."""

    @transition(field=state, source=T.AWAITING_DECISION, target=T.CASE_TO_ANSWER)
    def case_to_answer(self, level="", proceedings=True):
        """CR 2020 reg 23(1)(a)-(b): a case to answer for misconduct or gross misconduct, and
        whether misconduct proceedings are brought on it."""
        self.case_to_answer_for = level or self.severity
        self.proceedings_brought = proceedings

    @transition(field=state, source=T.AWAITING_DECISION, target=T.NO_CASE_TO_ANSWER)
    def no_case_to_answer(self):
        """No case to answer; may still be practice requiring improvement."""

    def _answer_is_misconduct(self) -> bool:
        return self.answer_level == Severity.MISCONDUCT

    @transition(
        field=state,
        source=T.CASE_TO_ANSWER,
        target=T.MEETING,
        conditions=[_proceedings, _answer_is_misconduct],
    )
    def refer_to_meeting(self, date, notice_on):
        # CR 2020 reg 23(1)(c), reg 30: a case to answer for misconduct -> misconduct meeting,
        # also for a subject first assessed as gross misconduct.
        self.forum, self.proceedings_date, self.proceedings_notice_on = (
            Forum.MEETING,
            date,
            notice_on,
        )

    @transition(field=state, source=T.CASE_TO_ANSWER, target=T.HEARING, conditions=[_proceedings])
    def refer_to_hearing(self, date, notice_on):
        # CR 2020 reg 30: gross misconduct, or misconduct with a live final written warning.
        self.forum, self.proceedings_date, self.proceedings_notice_on = (
            Forum.HEARING,
            date,
            notice_on,
        )

    def _is_special_case(self) -> bool:
        return (
            self.special_case
            and self.answer_level == Severity.GROSS_MISCONDUCT
            and self.proceedings_brought is not False
        )

    @transition(
        field=state,
        source=T.CASE_TO_ANSWER,
        target=T.ACCELERATED_HEARING,
        conditions=[_is_special_case],
    )
    def refer_to_accelerated_hearing(self, date, notice_on):
        # CR 2020 Part 5 (reg 53 onward): special case, accelerated hearing.
        self.forum, self.proceedings_date, self.proceedings_notice_on = (
            Forum.ACCELERATED_HEARING,
            date,
            notice_on,
        )

    @transition(field=state, source=[T.MEETING, T.HEARING, T.ACCELERATED_HEARING], target=T.OUTCOME)
    def conclude_proceedings(self, on):
        self.concluded_on = on

    @transition(field=state, source=T.RPRP, target=T.RPRP_COMPLETE)
    def complete_rprp(self, on):
        self.concluded_on = on

    @transition(field=state, source=T.OUTCOME, target=T.APPEAL)
    def appeal(self):
        """An appeal against the outcome is lodged (CR 2020 reg 45 after a meeting; the
        Police Appeals Tribunal after a hearing). The Appeal record holds its details."""

    @transition(field=state, source=T.APPEAL, target=T.OUTCOME)
    def appeal_decided(self):
        """The appeal is decided; the outcome as it now stands is on the Outcome rows."""


class ReflectiveStage(models.TextChoices):
    NOTICE = "notice", "Notice to the subject"
    ACCOUNT = "account", "Subject's account received"
    FACT_FINDING = "fact_finding", "Fact-finding"
    DISCUSSION = "discussion", "Reflective practice review discussion"
    REPORT = "report", "Reflective review development report"
    REVIEWED = "reviewed", "Reviewed at development review"


class ReflectivePractice(models.Model):
    """RPRP (CR 2020 Part 6, regs 66-70). Not a disciplinary outcome; its count is reported."""

    track = models.OneToOneField(SubjectTrack, on_delete=models.CASCADE, related_name="rprp")
    stage = models.CharField(
        max_length=14, choices=ReflectiveStage.choices, default=ReflectiveStage.NOTICE
    )
    line_manager = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_on = models.DateField()
    account_due = models.DateField()
    account_received_on = models.DateField(null=True, blank=True)
    discussion_on = models.DateField(null=True, blank=True)
    report_sent_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "reflective practice review"

    def __str__(self) -> str:
        return f"RPRP for {self.track.person}"

    def get_absolute_url(self) -> str:
        return self.track.get_absolute_url()


class Finding(models.TextChoices):
    NO_CASE_TO_ANSWER = "no_case", "No case to answer"
    NOT_PROVEN = "not_proven", "Case to answer – not proven"
    MISCONDUCT_PROVEN = "misconduct", "Misconduct proven"
    GROSS_MISCONDUCT_PROVEN = "gross", "Gross misconduct proven"
    NO_MISCONDUCT = "no_misconduct", "No misconduct identified"
    PRI = "pri", "Practice requiring improvement"
    SERVICE_ACCEPTABLE = "acceptable", "Service acceptable"
    SERVICE_NOT_ACCEPTABLE = "not_acceptable", "Service not acceptable"
    NFA = "nfa", "Looked into, no further action"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Action(models.TextChoices):
    NONE = "none", "No further action"
    RPRP = "rprp", "Reflective practice"
    WRITTEN_WARNING = "ww", "Written warning"
    FINAL_WRITTEN_WARNING = "fww", "Final written warning"
    REDUCTION_IN_RANK = "rir", "Reduction in rank"
    DISMISSAL = "dismissal", "Dismissal without notice"
    WOULD_HAVE_BEEN_DISMISSED = "would_dismiss", "Would have been dismissed"
    # A final written warning already live is extended instead of a further warning (the
    # extension rule: see cases.services.outcomes.warning_history_refusal).
    FINAL_WRITTEN_WARNING_EXTENDED = "fww_extended", "Final written warning extended"
    LEARNING = "learning", "Learning for the organisation"
    # Legacy outcomes that no longer exist under the 2020 regime (DOMAIN.md).
    MANAGEMENT_ADVICE = "mgmt_advice", "Management advice (legacy)"
    MANAGEMENT_ACTION = "mgmt_action", "Management action (legacy)"
    DISMISSAL_WITH_NOTICE = "dismissal_notice", "Dismissal with notice (legacy)"

    @classmethod
    def legacy(cls) -> set[str]:
        return {cls.MANAGEMENT_ADVICE, cls.MANAGEMENT_ACTION, cls.DISMISSAL_WITH_NOTICE}

    @classmethod
    def dismissals(cls) -> set[str]:
        return {cls.DISMISSAL, cls.WOULD_HAVE_BEEN_DISMISSED}

    @classmethod
    def barred_list_dismissals(cls) -> set[str]:
        """Outcomes the relevant authority reports to the barred list (Police Act 1996
        s88A(1)): a dismissal, with or without notice, or a 'would have been dismissed'
        finding."""
        return {cls.DISMISSAL, cls.DISMISSAL_WITH_NOTICE, cls.WOULD_HAVE_BEEN_DISMISSED}

    @classmethod
    def final_written_warning_or_worse(cls) -> set[str]:
        return {
            cls.FINAL_WRITTEN_WARNING,
            cls.FINAL_WRITTEN_WARNING_EXTENDED,
            cls.REDUCTION_IN_RANK,
            cls.DISMISSAL,
            cls.WOULD_HAVE_BEEN_DISMISSED,
        }


class OutcomeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    # C&M Regs 2020 reg 30: a review upheld with reinvestigation replaces the outcome; an
    # appeal that overturns the finding or varies the outcome replaces it too (CR 2020
    # reg 47(3); Police Appeals Tribunals Rules 2020).
    SUPERSEDED = "superseded", "Superseded after review or appeal"


class Outcome(models.Model):
    """The outcome for one subject on one allegation (CR 2020 reg 42), or for the allegation
    as a whole when it is about the force's service (no track)."""

    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="outcomes")
    track = models.ForeignKey(
        SubjectTrack, null=True, blank=True, on_delete=models.CASCADE, related_name="outcomes"
    )
    decision = models.ForeignKey(
        "cases.Decision", on_delete=models.PROTECT, related_name="outcomes"
    )
    finding = models.CharField(max_length=16, choices=Finding.choices)
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.NONE)
    staff_outcome = models.ForeignKey(
        "cases.StaffOutcomeKind",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Police staff: the outcome under the force's staff disciplinary policy "
        "(they are not under the Conduct Regulations).",
    )
    forum = models.CharField(max_length=20, choices=Forum.choices, blank=True)
    prior_warning_or_several_matters = models.BooleanField(
        default=False,
        help_text="Misconduct at a hearing: a final written warning was live, or several "
        "unconnected matters were proven (needed for reduction in rank or dismissal).",
    )
    effective_on = models.DateField()
    live_until = models.DateField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=OutcomeStatus.choices, default=OutcomeStatus.PROPOSED
    )

    class Meta:
        ordering = ["allegation__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["allegation", "track"],
                condition=~models.Q(status__in=["refused", "superseded"]),
                name="one_live_outcome_per_subject_allegation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_finding_display()}: {self.action_label}"

    @property
    def action_label(self) -> str:
        """The action as the subject received it: the staff policy's outcome for police staff."""
        if self.staff_outcome_id:
            return self.staff_outcome.name
        return self.get_action_display()


class DecisionKind(models.TextChoices):
    REFERRAL_NOT_REQUIRED = "no_referral", "Referral to the IOPC not required"
    CASE_TO_ANSWER = "case_to_answer", "Case-to-answer decisions"
    OUTCOME = "outcome", "Outcome"
    FINALISATION = "finalisation", "Finalisation"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class Decision(models.Model):
    """A proposal one person makes and another approves or refuses (four-eyes)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    payload = models.JSONField(default=dict, blank=True)
    rationale = models.TextField()
    status = models.CharField(
        max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_decisions"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status="pending"),
                name="one_pending_decision_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"
