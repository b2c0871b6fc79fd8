from django import forms

from psd.forms import DomainErrorFormMixin

from .models import ExportFormat


class ExportForm(DomainErrorFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Format",
        choices=ExportFormat.choices,
        initial=ExportFormat.JSON,
        widget=forms.RadioSelect,
    )
