"""Domain errors raised by services. Views turn them into a form error or a 4xx JSON body."""


class DomainError(Exception):
    """A rule of the domain refused the change. ``field_errors`` maps a field to messages."""

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = str(message)
        self.field_errors = {k: [str(m) for m in v] for k, v in (field_errors or {}).items()}
        self.code = code


class ScopeMissing(Exception):
    """A read of scoped data was attempted without a scope: a programming error, never "everything"."""


class NotInScope(DomainError):
    """The object exists but the user may not reach it; shown to the user exactly like "not found"."""

    def __init__(self):
        super().__init__("not found", code="not_found")
