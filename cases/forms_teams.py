"""Forms of the team pages: the bulk handover."""

from django import forms

from psd.forms import DomainErrorFormMixin
from psd.roles import Role

from .selectors.users import role_holder_list
from .selectors_teams import handover_sources


class HandoverForm(DomainErrorFormMixin, forms.Form):
    from_user = forms.ModelChoiceField(label="Hand over the open cases of", queryset=None)
    to_user = forms.ModelChoiceField(label="To investigator", queryset=None)
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded on every case and in the audit trail, e.g. “Leaving PSD”.",
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_user"].queryset = handover_sources(team=team)
        self.fields["to_user"].queryset = role_holder_list(role=Role.INVESTIGATOR)
