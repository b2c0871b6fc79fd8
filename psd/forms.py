from django import forms

from psd.domain import DomainError


class DomainErrorFormMixin:
    """Lets a view put a service's DomainError on the right field (or the form as a whole)."""

    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in getattr(self, "fields", {}) else None
        self.add_error(field, error.message)


# Primary keys are 64-bit signed integers (BigAutoField).
PK_RANGE = range(-(2**63), 2**63)


class PkMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records that refuses an id outside the 64-bit range as an invalid
    choice (issue 20, page fuzzing). Django's own field passes such an id to an ``__in``
    lookup, which the database driver cannot bind: OverflowError (SQLite) or DataError
    (PostgreSQL), a 500."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and int(text) not in PK_RANGE:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return super()._check_values(value)
