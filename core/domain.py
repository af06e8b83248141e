"""Errors that business services raise, free of any HTTP framework; the API maps them to statuses.

Each carries a stable ``code`` that clients may branch on (``conflict``, ``stage_failed``, ...); the
message is for people and may change.
"""


class DomainError(Exception):
    """Base for rule violations a caller can act on."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class Conflict(DomainError):
    """The operation does not fit the object's current state (HTTP 409)."""

    code = "conflict"


class NotPermitted(DomainError):
    """The actor may not do this (HTTP 403), e.g. a supplier approving its own application."""

    code = "permission_denied"


class RuleViolation(DomainError):
    """The request breaks a business rule about what it carries (HTTP 400), e.g. an item the call's task
    type does not allow; ``field`` names the input at fault, if one is."""

    code = "rule_violation"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field
