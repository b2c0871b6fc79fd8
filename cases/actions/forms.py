"""One small form per action on the case page. Every form carries a hidden ``expected``
fingerprint of what the user saw (the case version, or a subject's stage) so a stale form is
recognised and refused without losing what was typed."""

import copy
from dataclasses import dataclass

from django import forms
from django.utils import timezone

from psd.domain import DomainError
from psd.forms import DomainErrorFormMixin, PkMultipleChoiceField
from psd.roles import Role

from ..documents import MAX_DOCUMENT_BYTES
from ..forms import DateInput
from ..models import (
    Action,
    AllegationCategory,
    AppealResult,
    ComplaintResult,
    Finding,
    Forum,
    InvestigationMode,
    NoteVisibility,
    Outcome,
    OutcomeStatus,
    RecordableGround,
    ReferralCriterion,
    ReflectiveStage,
    ReviewResult,
    Severity,
    StaffOutcomeKind,
    Standard,
    SuspensionReason,
)
from ..selectors.users import role_holder_list
from ..services import OutcomeData
from ..services.aftercare import STAGE_ORDER
from ..services.appeals import DECIDED, FORUM_APPEAL, PROVEN
from ..services.outside import LATER_CHANNELS, OUTSIDE_QUESTIONS, RecordingWish
from ..services.staff import STAFF_ROLE_TYPES, is_police_staff
from ..services.withdrawal import RECIPIENTS, SIGNATORIES, WISHES

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _reason(label="Reason", required=True, help_text=""):
    return forms.CharField(
        label=label, required=required, max_length=5000, widget=TEXTAREA, help_text=help_text
    )


def _date(label, required=True, initial=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if initial else None,
    )


@dataclass(frozen=True)
class Repeated:
    """A field the form repeats once per item (a subject, an allegation and subject...):
    named ``prefix`` + the item's key (``key``: a regular expression of the keys, which the
    API's schema publishes), a copy of ``field`` with the item's own label."""

    prefix: str
    key: str
    field: forms.Field


class ActionForm(DomainErrorFormMixin, forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput, required=False)
    # The repeated fields this form may add (declared here, so the API can describe them).
    repeated: tuple[Repeated, ...] = ()

    def __init__(self, *args, case=None, target=None, **kwargs):
        self.case, self.target = case, target
        super().__init__(*args, **kwargs)

    def repeat(self, repeated: Repeated, key: str, label: str) -> None:
        field = copy.deepcopy(repeated.field)
        field.label = label
        self.fields[f"{repeated.prefix}{key}"] = field

    def declared_last(self, *names: str) -> None:
        """Move the declared fields ``names`` after the repeated ones, as the page shows them."""
        for name in names:
            self.fields[name] = self.fields.pop(name)

    def text_values(self) -> list[tuple[str, str]]:
        """What the user typed, to show again when the form can no longer be offered."""
        values = []
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and name != "expected":
                value = self.data.get(self.add_prefix(name), "")
                if value.strip():
                    values.append((field.label, value))
        return values


class NoteForm(ActionForm):
    text = forms.CharField(label="Note", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(
        label="Who may read it",
        choices=NoteVisibility.choices,
        initial=NoteVisibility.TEAM,
        required=False,
        help_text="Internal: never shown to complainants, reporters or subjects.",
    )

    def clean_visibility(self):
        return self.cleaned_data["visibility"] or NoteVisibility.TEAM


class DocumentForm(ActionForm):
    file = forms.FileField(
        label="File",
        help_text="PDF, PNG, JPEG, Word (.docx) or text (.txt), up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.txt"}),
    )
    description = forms.CharField(label="Description", max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The file must be 10 MB or smaller.")
        return upload


class ReasonForm(ActionForm):
    reason = _reason()


class OptionalReasonForm(ActionForm):
    reason = _reason(required=False)


class RationaleForm(ActionForm):
    rationale = _reason("Reasons")


class RecordForm(ActionForm):
    recorded_on = _date("Date recorded")
    recordable_grounds = forms.MultipleChoiceField(
        label="Grounds for recording (conduct matters)",
        required=False,
        choices=RecordableGround.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        help_text="A conduct matter is recorded under Schedule 3 only on one of these grounds "
        "(PRA 2002 Sch 3 para 11; C&M Regs 2020 reg 7(1)). Leave empty for a complaint or a "
        "DSI matter.",
    )
    reason = _reason(required=False)


YES_NO = [("no", "No"), ("yes", "Yes")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "checkbox-list"}),
    )


def _one_of(label: str, choices: dict[str, str], help_text: str = "") -> forms.ChoiceField:
    """Radios for a required choice among ``choices`` (key -> words), none chosen at first."""
    return forms.ChoiceField(
        label=label,
        choices=[(key, words.capitalize()) for key, words in choices.items()],
        widget=forms.RadioSelect(attrs={"class": "checkbox-list"}),
        help_text=help_text,
    )


def _question(name: str) -> forms.TypedChoiceField:
    question, provision = OUTSIDE_QUESTIONS[name]
    return _yes_no(f"{question} (PRA 2002 Sch 3 {provision})")


class OutsideSchedule3Form(ActionForm):
    """The PRA 2002 Sch 3 para 2(6A)/(6B) questions, each answered, then the reasons: any
    "yes" means the complaint must be recorded (the service says which and why)."""

    complainant_wants_recorded = _question("complainant_wants_recorded")
    death_or_serious_injury = _question("death_or_serious_injury")
    criminal_or_disciplinary = _question("criminal_or_disciplinary")
    article_2_or_3 = _question("article_2_or_3")
    referral_description = _question("referral_description")
    reason = _reason("Why the complaint can be handled outside Schedule 3")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the complainant said is kept on the case and shown with the para 2(6A)(a)
        # question. (After a "yes" the action is not offered: the service's guard refuses it.)
        wish = RecordingWish.of(self.case) if self.case is not None else None
        if wish is not None:
            self.fields["complainant_wants_recorded"].help_text = wish.said

    def answers(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in OUTSIDE_QUESTIONS}


class RecordingWishForm(ActionForm):
    """The complainant asked, after the complaint was logged, for it to be recorded."""

    indicated_on = _date("Date the complainant asked")
    channel = _one_of(
        "How they asked",
        LATER_CHANNELS,
        "PRA 2002 Sch 3 para 2(6A)(a): a complaint must be recorded if at any time the "
        "complainant indicates a wish for it to be recorded.",
    )


class AssessReferralForm(ActionForm):
    criteria = PkMultipleChoiceField(
        label="Referral criteria met",
        required=False,
        queryset=ReferralCriterion.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        help_text="PRA 2002 Sch 3; C&M Regs 2020 reg 4. Leave all unticked if none applies.",
    )
    voluntary = forms.BooleanField(label="Refer voluntarily", required=False)
    called_in = forms.BooleanField(label="The IOPC called the matter in", required=False)
    rationale = _reason("Reasons for the assessment")


class ReferToIOPCForm(ActionForm):
    referred_on = _date("Date referred")
    iopc_reference = forms.CharField(label="IOPC reference", max_length=40, required=False)
    reason = _reason(required=False)


class IOPCDecisionForm(ActionForm):
    mode = forms.ChoiceField(
        label="IOPC decision",
        choices=[
            (m.value, m.label)
            for m in (
                InvestigationMode.NONE,
                InvestigationMode.LOCAL,
                InvestigationMode.DIRECTED,
                InvestigationMode.INDEPENDENT,
            )
        ],
    )
    decided_on = _date("Date of the decision")
    notes = _reason("Notes", required=False)


class SubmitReportForm(ActionForm):
    summary = _reason("Summary of the report's findings")
    reg18_override_reason = _reason(
        "Reason to file while a reg 18 window is open",
        required=False,
        help_text="CR 2020 reg 18: only when a subject's window is still open and their "
        "representations are not in. The window is then closed with this reason.",
    )


class SuspendForm(ActionForm):
    reason = forms.ChoiceField(label="Why", choices=SuspensionReason.choices)
    started_on = _date("Suspended from")
    note = _reason("Details", required=False)


class ResumeForm(ActionForm):
    ended_on = _date("Last day of the suspension")


class WithdrawForm(ActionForm):
    """C&M Regs 2020 reg 38(1): who signed the notification and what it says, both chosen
    (no default: a wrong one would misstate the record)."""

    signed_by = _one_of(
        "Who signed the notification",
        SIGNATORIES,
        "C&M Regs 2020 reg 38(1): the complainant, or their solicitor or other authorised "
        "agent on their behalf.",
    )
    wish = _one_of("The complainant", WISHES)
    reason = _reason("How and when the complainant withdrew")
    continue_as_conduct = forms.BooleanField(label="Continue as a conduct matter", required=False)


class DiscontinueForm(ActionForm):
    reason = _reason("Reasons for discontinuing")
    iopc_agreed = forms.BooleanField(label="The IOPC agreed", required=False)


class AssignForm(ActionForm):
    investigator = forms.ModelChoiceField(label="Investigator", queryset=None)
    supervisor = forms.ModelChoiceField(label="Supervisor", queryset=None, required=False)
    reason = _reason(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = role_holder_list(role=Role.INVESTIGATOR)
        self.fields["supervisor"].queryset = role_holder_list(role=Role.SUPERVISOR)


class TwelveMonthForm(ActionForm):
    reported_on = _date("Date reported")
    summary = _reason("Summary", required=False)


class AllegationForm(ActionForm):
    summary = _reason("What is alleged")
    category = forms.ModelChoiceField(
        label="Category", queryset=AllegationCategory.objects.filter(active=True)
    )
    standards = PkMultipleChoiceField(
        label="Standards of Professional Behaviour",
        required=False,
        queryset=Standard.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    subject_numbers = forms.CharField(
        label="Subjects' personnel numbers",
        required=False,
        max_length=300,
        help_text="Separate several numbers with commas.",
    )
    about_force = forms.BooleanField(label="About the force/service", required=False)


class FinalisationForm(ActionForm):
    # No default result: the user chooses one for a complaint; a conduct or DSI matter has
    # none (the field is hidden and stays empty).
    result = forms.ChoiceField(
        label="Result for the complainant",
        required=False,
        choices=[("", "Choose the result"), *ComplaintResult.choices],
    )
    outcome_sent_on = _date("Outcome sent to the complainant on", required=False)
    rationale = _reason("Reasons")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None and self.case.is_complaint:
            result = self.fields["result"]
            result.required = True
            result.error_messages["required"] = "Choose the result for the complainant."
        elif self.case is not None:
            self.fields["result"].widget = forms.HiddenInput()


class ReviewRequestForm(ActionForm):
    """The review body is not chosen: it follows from C&M Regs 2020 reg 32."""

    received_on = _date("Application received on")
    out_of_time_accepted = forms.BooleanField(
        label="The review body extended the period (reg 29(4))", required=False
    )
    extension_reason = _reason("The review body's reason for the extension", required=False)


class ReviewResultForm(ActionForm):
    result = forms.ChoiceField(label="Result", choices=ReviewResult.choices)
    decided_on = _date("Decided on")
    recommendations = _reason("Recommendations", required=False)


# CR 2020 reg 23(1)(a)-(b): the case-to-answer decisions (cases.services.decisions.ANSWERS).
ANSWER_CHOICES = [
    (Severity.GROSS_MISCONDUCT, "Case to answer for gross misconduct: bring proceedings"),
    (Severity.MISCONDUCT, "Case to answer for misconduct: bring proceedings"),
    (
        "gross_no_proceedings",
        "Case to answer for gross misconduct: no proceedings (reflective practice or no "
        "further action)",
    ),
    (
        "misconduct_no_proceedings",
        "Case to answer for misconduct: no proceedings (reflective practice or no further action)",
    ),
    ("no", "No case to answer"),
]
ANSWER = Repeated(
    "track_",
    "[0-9]+",
    forms.ChoiceField(
        choices=ANSWER_CHOICES, widget=forms.RadioSelect(attrs={"class": "checkbox-list"})
    ),
)


class CaseToAnswerForm(ActionForm):
    """One decision per subject awaiting one (CR 2020 reg 23(1)): case to answer, for what,
    with or without proceedings; gross misconduct only for a subject notified of it."""

    repeated = (ANSWER,)
    rationale = _reason("Reasons")

    def __init__(self, *args, awaiting=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.awaiting = list(awaiting)
        for track in self.awaiting:
            self.repeat(ANSWER, str(track.pk), f"Case to answer for {track.person.rank_and_name}?")
            if track.severity != Severity.GROSS_MISCONDUCT:
                self.fields[f"track_{track.pk}"].choices = [
                    c for c in ANSWER_CHOICES if not c[0].startswith("gross")
                ]
        self.declared_last("rationale")

    def answers(self) -> dict[int, bool]:
        return {t.pk: self.cleaned_data[f"track_{t.pk}"] for t in self.awaiting}


PAIR = "[0-9]+_[0-9]+"  # allegation id _ subject track id (0: about the force/service)
FINDING = Repeated(
    "finding_", PAIR, forms.ChoiceField(choices=[("", "Choose a finding"), *Finding.choices])
)
ACTION = Repeated("action_", PAIR, forms.ChoiceField(choices=Action.choices, initial=Action.NONE))
PRIOR = Repeated("prior_", PAIR, forms.BooleanField(required=False))
# Police staff: the outcome from the force's staff disciplinary list (not CR 2020 reg 42).
STAFF = Repeated(
    "staff_outcome_",
    PAIR,
    forms.ModelChoiceField(
        queryset=StaffOutcomeKind.objects.filter(active=True),
        required=False,
        empty_label="No staff outcome",
    ),
)


class OutcomeProposalForm(ActionForm):
    """A finding and an action for every subject of every allegation (CR 2020 reg 42)."""

    repeated = (FINDING, ACTION, PRIOR, STAFF)
    effective_on = _date("Effective from")
    rationale = _reason("Reasons")

    def __init__(self, *args, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = list(pairs)
        for allegation, track in self.pairs:
            key = f"{allegation.pk}_{track.pk if track else 0}"
            who = f"Allegation {allegation.number}, "
            who += track.person.rank_and_name if track else "the force/service"
            self.repeat(FINDING, key, f"{who}: finding")
            self.repeat(ACTION, key, f"{who}: action")
            if track is not None and track.forum == Forum.HEARING:
                self.repeat(
                    PRIOR,
                    key,
                    f"{who}: a final written warning was live or several unconnected matters "
                    "are proven",
                )
            if track is not None and is_police_staff(track.person):
                self.repeat(STAFF, key, f"{who}: staff disciplinary outcome (police staff)")
        self.declared_last("effective_on", "rationale")

    def outcomes(self):
        data = []
        for allegation, track in self.pairs:
            key = f"{allegation.pk}_{track.pk if track else 0}"
            data.append(
                OutcomeData(
                    allegation=allegation,
                    track=track,
                    finding=self.cleaned_data[f"finding_{key}"],
                    action=self.cleaned_data[f"action_{key}"],
                    prior_warning_or_several_matters=self.cleaned_data.get(f"prior_{key}", False),
                    rationale=self.cleaned_data["rationale"],
                    staff_outcome=self.cleaned_data.get(f"staff_outcome_{key}"),
                )
            )
        return data


# --- One subject ------------------------------------------------------------------------


class SeverityForm(ActionForm):
    # No default severity: "no misconduct" ends the subject's track, so it must be chosen.
    severity = forms.ChoiceField(
        label="Severity",
        choices=[("", "Choose the severity"), *Severity.choices],
        error_messages={"required": "Choose the severity."},
    )
    special_case = forms.BooleanField(
        label="Special case (CR 2020 reg 53: evidence incontrovertible)", required=False
    )
    rationale = _reason("Reasons")


class ServeNoticeForm(ActionForm):
    served_on = _date("Notice served on")


class OutcomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"Allegation {obj.allegation.number}: {obj}"


class LodgeAppealForm(ActionForm):
    """CR 2020 reg 45 (after a meeting) or the Police Appeals Tribunal (after a hearing)."""

    outcome = OutcomeChoiceField(label="Outcome appealed against", queryset=Outcome.objects.none())
    lodged_on = _date("Notice of appeal given on")
    grounds = _reason("Grounds of appeal")
    extension_reason = _reason(
        "Why an appeal out of time was accepted",
        required=False,
        help_text="Only when the notice came after the time to appeal (exceptional circumstances).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.target is not None:
            # The approved outcomes an appeal may lie against (the service decides).
            self.fields["outcome"].queryset = (
                Outcome.objects.filter(
                    track=self.target,
                    status=OutcomeStatus.APPROVED,
                    finding__in=PROVEN,
                    forum__in=list(FORUM_APPEAL),
                    appeals__isnull=True,
                    varied_by_appeal__isnull=True,
                )
                .exclude(track__person__role_type__in=STAFF_ROLE_TYPES)
                .select_related("allegation")
                .order_by("allegation__number", "pk")
            )


class AppealResultForm(ActionForm):
    result = forms.ChoiceField(
        label="Result", choices=[(r.value, r.label) for r in AppealResult if r in DECIDED]
    )
    decided_on = _date("Decided on")
    new_action = forms.ChoiceField(
        label="Outcome substituted (when the outcome is varied)",
        required=False,
        choices=[("", "Not varied"), *Action.choices],
    )
    reasons = _reason("Reasons")


class WithdrawalNoticeForm(ActionForm):
    recipient = forms.ChoiceField(
        label="Who was told", choices=[(k, v[:1].upper() + v[1:]) for k, v in RECIPIENTS.items()]
    )
    notified_on = _date("Told on")


class CorrectNoticeForm(ActionForm):
    served_on = _date("Notice actually served on", initial=False)
    reason = _reason("Why the date is corrected")


class CorrectReceivedForm(ActionForm):
    received_on = _date("Date actually received", initial=False)
    reason = _reason("Why the date is corrected")


class ConfirmForm(ActionForm):
    """No fields besides the fingerprint: the button is the action."""


class RPRPForm(ActionForm):
    notice_on = _date("Notice given on")
    reason = _reason()


class ProceedingsForm(ActionForm):
    forum = forms.ChoiceField(label="Forum", choices=[c for c in Forum.choices if c[0]])
    date = _date("Date fixed for the meeting or hearing", initial=False)
    notice_on = _date(
        "Notice and documents given on (reg 30(1); reg 51(1) for an accelerated hearing)"
    )
    agreed_shorter = forms.BooleanField(
        label="Accelerated hearing: the parties and the chair agreed a shorter period (reg 48)",
        required=False,
    )
    reason = _reason(required=False)


class ConcludeForm(ActionForm):
    held_on = _date("Held on")


class ExtendDeadlineForm(ActionForm):
    kind = forms.ChoiceField(
        label="Period",
        choices=[
            ("reg17_representations", "Reg 18 statement and representations (the investigator)"),
            ("reg31_response", "Reg 31 response to the notice (as the chair decided)"),
            ("reg33_prehearing", "Reg 33 pre-hearing (as the chair decided)"),
        ],
    )
    due_date = _date("New last day", initial=False)
    reason = _reason("Reason for the extension")


class ResponseForm(ActionForm):
    received_on = _date("Response received on")


class DocumentsToChairForm(ActionForm):
    supplied_on = _date("Documents supplied to the chair on (reg 32(6))")


class PreHearingForm(ActionForm):
    held_on = _date("Pre-hearing held on")


class RPRPStageForm(ActionForm):
    stage = forms.ChoiceField(label="Stage reached", choices=ReflectiveStage.choices)
    on = _date("Date")
    notes = _reason("Notes", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rprp = self.target
        if rprp is not None and rprp.stage != ReflectiveStage.REVIEWED:
            self.fields["stage"].initial = STAGE_ORDER[STAGE_ORDER.index(rprp.stage) + 1]


# --- Decisions (four-eyes) ----------------------------------------------------------------


class ApproveForm(ActionForm):
    reason = _reason("Comments", required=False)


class RefuseForm(ActionForm):
    reason = _reason("Why you are refusing")


def person_numbers(text: str) -> list[str]:
    numbers = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if len({n.upper() for n in numbers}) != len(numbers):
        raise DomainError("The same number is given twice.", field="subject_numbers")
    return numbers
