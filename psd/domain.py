"""Errors raised by services. Views turn them into messages; the API into 4xx responses."""


class DomainError(Exception):
    """A rule refused the action. ``str(error)`` is a sentence a user can read."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not take this action on this object."""


class StaleObject(DomainError):
    """Someone else changed the object since the user loaded it."""

    def __init__(
        self,
        message: str = "This record changed while you were working on it. "
        "Reload the page to see the latest version; your text is kept below.",
    ):
        super().__init__(message)
