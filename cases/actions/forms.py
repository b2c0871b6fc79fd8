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
    ComplaintResult,
    Finding,
    Forum,
    InvestigationMode,
    NoteVisibility,
    ReferralCriterion,
    ReflectiveStage,
    ReviewBody,
    ReviewResult,
    Severity,
    Standard,
)
from ..selectors.users import role_holder_list
from ..services import OutcomeData
from ..services.aftercare import STAGE_ORDER

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
    reason = _reason(required=False)


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


class WithdrawForm(ActionForm):
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
    received_on = _date("Application received on")
    body = forms.ChoiceField(label="Review body", choices=ReviewBody.choices)
    out_of_time_accepted = forms.BooleanField(
        label="Accepted out of time (reg 29(3))", required=False
    )
    extension_reason = _reason("Reason for accepting out of time", required=False)


class ReviewResultForm(ActionForm):
    result = forms.ChoiceField(label="Result", choices=ReviewResult.choices)
    decided_on = _date("Decided on")
    recommendations = _reason("Recommendations", required=False)


ANSWER = Repeated(
    "track_",
    "[0-9]+",
    forms.TypedChoiceField(
        choices=[("yes", "Case to answer"), ("no", "No case to answer")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "checkbox-list"}),
    ),
)


class CaseToAnswerForm(ActionForm):
    """One yes/no per subject awaiting a decision (CR 2020 reg 23)."""

    repeated = (ANSWER,)
    rationale = _reason("Reasons")

    def __init__(self, *args, awaiting=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.awaiting = list(awaiting)
        for track in self.awaiting:
            self.repeat(ANSWER, str(track.pk), f"Case to answer for {track.person.rank_and_name}?")
        self.declared_last("rationale")

    def answers(self) -> dict[int, bool]:
        return {t.pk: self.cleaned_data[f"track_{t.pk}"] for t in self.awaiting}


PAIR = "[0-9]+_[0-9]+"  # allegation id _ subject track id (0: about the force/service)
FINDING = Repeated(
    "finding_", PAIR, forms.ChoiceField(choices=[("", "Choose a finding"), *Finding.choices])
)
ACTION = Repeated("action_", PAIR, forms.ChoiceField(choices=Action.choices, initial=Action.NONE))
PRIOR = Repeated("prior_", PAIR, forms.BooleanField(required=False))


class OutcomeProposalForm(ActionForm):
    """A finding and an action for every subject of every allegation (CR 2020 reg 42)."""

    repeated = (FINDING, ACTION, PRIOR)
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


class AppealForm(ActionForm):
    lodged_on = _date("Appeal lodged on")
    reason = _reason("Grounds of appeal")


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
    date = _date("Date of the meeting or hearing", initial=False)
    notice_on = _date("Notice given on")
    reason = _reason(required=False)


class ConcludeForm(ActionForm):
    held_on = _date("Held on")


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
