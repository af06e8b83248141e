"""Errors that business services raise, free of any HTTP framework; the API maps them to statuses."""


class DomainError(Exception):
    """Base for rule violations a caller can act on."""


class Conflict(DomainError):
    """The operation does not fit the object's current state (HTTP 409)."""


class NotPermitted(DomainError):
    """The actor may not do this (HTTP 403), e.g. a supplier approving its own application."""
