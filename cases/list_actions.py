"""The actions on a barred or advisory list entry, the same for the lists page and the API:
each is offered exactly when its guard (in cases/services/lists.py) finds nothing against it,
declares its input once as a form, and runs exactly one service."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils import timezone

from accounts.models import Person, User
from psd.domain import PermissionDenied
from psd.forms import DomainErrorFormMixin
from psd.rules import Refusal

from .forms import DateInput
from .models import AdvisoryListEntry, BarredListEntry, DismissalGround
from .services import lists

MODELS = {"barred": BarredListEntry, "advisory": AdvisoryListEntry}


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate)


def _text(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ListEntryForm(DomainErrorFormMixin, forms.Form):
    pass


class ReportedForm(ListEntryForm):
    reported_on = _date("Reported to the College on")


class OverturnedForm(ListEntryForm):
    decided_on = _date("Decided on")
    reason = _text("What was decided (e.g. appeal allowed, dismissal replaced by …)")


class RemovedForm(ListEntryForm):
    removed_on = _date("Removed on")
    reason = _text("Why the College removed the entry")


class RecordDismissalForm(ListEntryForm):
    """A dismissal decided outside a case here (performance, police staff procedures)."""

    number = forms.CharField(label="Personnel number", max_length=20)
    ground = forms.ChoiceField(label="Dismissed for", choices=DismissalGround.choices)
    dismissed_on = _date("Date of the dismissal or finding")
    finding = forms.BooleanField(
        label="A 'would have been dismissed' finding (the person had resigned or retired)",
        required=False,
    )
    reasons = _text("Reasons, with a description of the conduct or performance")
    standards = forms.CharField(
        label="Standards of Professional Behaviour breached (where applicable)",
        required=False,
        max_length=500,
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        people = list(Person.objects.filter(number__iexact=number)[:2])
        if len(people) != 1:
            raise forms.ValidationError(
                f"No one in the register has the number {number}."
                if not people
                else f"Several people have the number {number}: ask an administrator."
            )
        self.person = people[0]
        return number


def record_dismissal(user: User, form: RecordDismissalForm) -> BarredListEntry:
    """The same checks as an action on an entry, for a new barred entry."""
    refusal = lists.barred_entry_record_refusal(actor=user)
    if refusal is not None:
        raise PermissionDenied(str(refusal))
    if not form.is_valid():
        raise InvalidInput(form)
    d = form.cleaned_data
    return lists.barred_entry_record(
        actor=user,
        person=form.person,
        ground=d["ground"],
        dismissed_on=d["dismissed_on"],
        reasons=d["reasons"],
        standards=d["standards"],
        finding=d["finding"],
    )


@dataclass(frozen=True)
class ListAction:
    name: str
    label: str
    form: type[ListEntryForm]
    guard: Callable[..., str | None]
    run: Callable[..., object]
    button: str = "Save"

    def refusal(self, user: User, entry) -> str | None:
        return self.guard(actor=user, entry=entry)


LIST_ACTIONS: dict[str, ListAction] = {
    action.name: action
    for action in [
        ListAction(
            "report",
            "Report made to the College",
            ReportedForm,
            lists.list_entry_mark_reported_refusal,
            lambda actor, entry, d: lists.list_entry_mark_reported(
                actor=actor, entry=entry, reported_on=d["reported_on"]
            ),
            button="Record the report",
        ),
        ListAction(
            "overturned",
            "Dismissal or finding overturned",
            OverturnedForm,
            lists.barred_entry_overturned_refusal,
            lambda actor, entry, d: lists.barred_entry_overturned(
                actor=actor, entry=entry, decided_on=d["decided_on"], reason=d["reason"]
            ),
            button="Record",
        ),
        ListAction(
            "further_report",
            "Further report made (the College removes the entry)",
            ReportedForm,
            lists.list_entry_further_report_refusal,
            lambda actor, entry, d: lists.list_entry_further_report(
                actor=actor, entry=entry, reported_on=d["reported_on"]
            ),
            button="Record the further report",
        ),
        ListAction(
            "remove",
            "Removed by the College for another reason",
            RemovedForm,
            lists.list_entry_remove_refusal,
            lambda actor, entry, d: lists.list_entry_remove(
                actor=actor, entry=entry, reason=d["reason"], removed_on=d["removed_on"]
            ),
            button="Record removal",
        ),
    ]
}


def available(user: User, entry) -> list[ListAction]:
    """The actions ``user`` may take on ``entry`` now (their guards find nothing against)."""
    return [a for a in LIST_ACTIONS.values() if a.refusal(user, entry) is None]


def entry_of(kind: str, pk: int):
    model = MODELS.get(kind)
    return model.objects.filter(pk=pk).first() if model else None


class NotPossibleNow(Exception):
    """The action's guard refuses it (``str()`` is its sentence)."""


class InvalidInput(Exception):
    """The form rejected the input (``form.errors``)."""

    def __init__(self, form):
        self.form = form
        super().__init__("invalid input")


def run(user: User, entry, action: ListAction, form: ListEntryForm):
    """Check the guard and the input, then run the action's one service (its own refusals,
    ``DomainError`` and ``PermissionDenied``, come through unchanged)."""
    refusal = action.refusal(user, entry)
    if isinstance(refusal, Refusal):
        raise PermissionDenied(str(refusal))
    if refusal is not None:
        raise NotPossibleNow(refusal)
    if not form.is_valid():
        raise InvalidInput(form)
    return action.run(user, entry, form.cleaned_data)
