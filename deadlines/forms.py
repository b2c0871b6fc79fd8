from django import forms

from .models import DeadlineKind, Status


class DeadlineFilterForm(forms.Form):
    """The filters of the deadlines page (GET). Invalid values fall back to the defaults."""

    # Chosen with the sub-navigation above the list (the filters keep it as a hidden value).
    scope = forms.ChoiceField(label="Whose", required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Kind", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Status.choices],
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, data, *, scopes: dict[str, str]):
        if data is not None and data.get("scope") not in scopes:
            data = data.copy()  # a scope the user may not choose falls back to their own
            data["scope"] = "mine"
        super().__init__(data)
        self.fields["scope"].choices = list(scopes.items())
        self.fields["kind"].choices = [
            ("", "All kinds"),
            *DeadlineKind.objects.order_by("name").values_list("code", "name"),
        ]

    def filters(self) -> dict:
        if not self.is_bound:
            return {"scope": "mine", "status": Status.OPEN, "kind": None, "overdue_only": False}
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "scope": data.get("scope") or "mine",
            "status": data.get("status") or None,
            "kind": data.get("kind") or None,
            "overdue_only": bool(data.get("overdue")),
        }
