"""The administrator's form for proposing a grant (``accounts.grants``)."""

from django import forms
from django.contrib.auth.models import Permission
from django.db.models import Q

from psd.forms import DomainErrorFormMixin

from .grants import OBJECT_PERMISSIONS
from .models import GrantRequest, Person, User


def _object_permissions():
    query = Q(pk__in=[])
    for label in OBJECT_PERMISSIONS:
        app_label, codename = label.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query).select_related("content_type")


class GrantRequestForm(DomainErrorFormMixin, forms.ModelForm):
    grantee = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        label="User",
        help_text="For a person link, leave empty to unlink the person.",
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        label="Person (register id)",
        help_text="For a person link: the number at the end of the person's page address.",
    )
    object_pk = forms.IntegerField(
        required=False, min_value=1, label="Record id", help_text="For a record permission."
    )

    class Meta:
        model = GrantRequest
        fields = ["kind", "grantee", "role", "permission", "object_pk", "person", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}
        labels = {"permission": "Permission on one record"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permission"].queryset = _object_permissions()
        self.fields["permission"].label_from_instance = lambda p: (
            f"{p.content_type.app_label}.{p.codename}"
        )

    def clean_object_pk(self):
        value = self.cleaned_data.get("object_pk")
        return str(value) if value else ""


class GrantDecisionForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label="Note")
