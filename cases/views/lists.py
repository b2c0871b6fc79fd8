from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from ..models import AdvisoryListEntry, BarredListEntry
from ..selectors import list_lookup


class LookupForm(forms.Form):
    forename = forms.CharField(max_length=80)
    surname = forms.CharField(max_length=80)
    date_of_birth = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


@permission_required("cases.view_barredlistentry", raise_exception=True)
def list_entries(request):
    """Barred and advisory list entries, with a lookup by name and date of birth."""
    form = LookupForm(request.GET or None)
    matches = None
    if form.is_valid():
        matches = list_lookup(**form.cleaned_data)
    return render(
        request,
        "cases/lists.html",
        {
            "form": form,
            "matches": matches,
            "barred": BarredListEntry.objects.select_related("case")[:200],
            "advisory": AdvisoryListEntry.objects.select_related("case")[:200],
        },
    )
