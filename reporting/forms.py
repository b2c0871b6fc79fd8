from django import forms
from django.db.models.functions import Upper

from accounts.models import Person
from cases.models import AllegationCategory
from psd.domain import DomainError

from . import receipt
from .evidence import MAX_BYTES
from .services import MAX_TEXT


class DomainErrorMixin:
    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class TokenForm(DomainErrorMixin, forms.Form):
    """A public form. Its signed token (instead of a CSRF cookie) is rendered by the template
    and checked by the view, so that every page carries a fresh one."""


def _area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "textarea"})


class ReportForm(TokenForm):
    what = forms.CharField(
        label="What happened",
        max_length=MAX_TEXT,
        widget=_area(8),
        help_text="Describe what you saw or know, in your own words.",
        error_messages={"required": "Enter what happened."},
    )
    who = forms.CharField(
        label="Who was involved",
        required=False,
        max_length=MAX_TEXT,
        widget=_area(3),
        help_text="Names, roles, collar numbers or descriptions, if you know them.",
    )
    when = forms.CharField(
        label="When it happened",
        required=False,
        max_length=500,
        help_text="A date, or roughly when (for example 'last week of March').",
    )
    where = forms.CharField(
        label="Where it happened", required=False, max_length=500, help_text="A place or team."
    )
    evidence = forms.FileField(
        label="Evidence",
        required=False,
        help_text=(
            f"A photo (JPEG or PNG) or a PDF, up to {MAX_BYTES // (1024 * 1024)} MB. "
            "We remove hidden details such as the camera, location and author before storing it, "
            "but not what the file shows: check it carries no name or signature you want hidden."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )
    name = forms.CharField(
        label="Your name",
        required=False,
        max_length=200,
        help_text="Only if you want PSD to know who you are. Leave it empty to stay anonymous.",
    )


class CodeForm(TokenForm):
    code = forms.CharField(
        label="Receipt code",
        max_length=100,
        help_text=f"The {receipt.DIGITS} digits you were given when you sent the report.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter your receipt code."},
    )

    def clean_code(self):
        code = receipt.normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(receipt.MALFORMED)
        return code


class ReplyForm(TokenForm):
    body = forms.CharField(
        label="Your reply",
        max_length=MAX_TEXT,
        widget=_area(6),
        error_messages={"required": "Enter your message."},
    )


class QuestionForm(DomainErrorMixin, forms.Form):
    question = forms.CharField(
        label="Question for the reporter",
        max_length=MAX_TEXT,
        widget=_area(5),
        help_text="The reporter reads this when they return with their receipt code.",
    )
    reason = forms.CharField(
        label="Why you are asking", required=False, max_length=1000, widget=_area(2)
    )


class CloseForm(DomainErrorMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for closing",
        max_length=MAX_TEXT,
        widget=_area(4),
        help_text="Recorded in the report's audit trail.",
    )


class ConductMatterForm(DomainErrorMixin, forms.Form):
    summary = forms.CharField(
        label="Summary for the conduct matter",
        max_length=MAX_TEXT,
        widget=_area(6),
        help_text="Write the allegation in your own words; the reporter's text is not copied.",
    )
    category = forms.ModelChoiceField(
        label="Category of the allegation",
        # The IOPC category, or better its sub-category (issue 19: allegations record it).
        queryset=AllegationCategory.objects.filter(active=True).select_related("parent"),
    )
    subjects = forms.CharField(
        label="Personnel numbers of the people it is about",
        required=False,
        max_length=500,
        help_text="Separate numbers with commas. Leave empty if it is about the force/service.",
    )
    about_force = forms.BooleanField(
        label="The allegation is about the force/service", required=False
    )
    copy_reporter_text = forms.BooleanField(
        label="Also copy the reporter's text into the conduct matter", required=False
    )
    reason = forms.CharField(label="Why this is a conduct matter", max_length=1000, widget=_area(2))

    def clean_subjects(self) -> list[Person]:
        numbers = [n.strip() for n in self.cleaned_data["subjects"].split(",") if n.strip()]
        wanted = [n.upper() for n in numbers]
        people = {
            p.number.upper(): p
            for p in Person.objects.annotate(upper=Upper("number")).filter(upper__in=wanted)
        }
        missing = [n for n in numbers if n.upper() not in people]
        if missing:
            raise forms.ValidationError(
                f"No one in the register has the number {', '.join(missing)}."
            )
        return [people[n.upper()] for n in numbers]
