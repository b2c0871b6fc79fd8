from psd.domain import DomainError


class DomainErrorFormMixin:
    """Lets a view put a service's DomainError on the right field (or the form as a whole)."""

    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in getattr(self, "fields", {}) else None
        self.add_error(field, error.message)
