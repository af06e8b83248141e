"""Identifiers made of digits (business numbers, classification numbers, goods identification numbers,
item numbers): the one place that decides what a "digit" is.

Python's ``\\d``, ``str.isdigit()`` and ``int()`` accept every Unicode digit (full-width ５, Arabic-Indic ٥,
Devanagari ५ ...), so a number typed in look-alike digits would be stored as a different identifier from
the same number in ASCII: a second company for an existing business number, a feed row the receiving
system cannot read. Input is therefore normalised with NFKC where a person would expect the same number
(full-width digits and hyphens become ASCII), and then only ASCII ``0-9`` is accepted. Scripts whose digits
NFKC leaves alone (Arabic-Indic) are refused, never converted: they are not what a registry number looks
like, and guessing would make two spellings of one number.

Validation (``is_ascii_digits``, ``DigitsValidator``) never normalises: it checks stored values as they
are, so the feed's own validation still catches a look-alike digit that reached the database some other way.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# the largest id (and integer) a 64-bit column holds; SQLite raises OverflowError beyond it
MAX_ID = 2**63 - 1

# a record id in a URL path: ASCII digits that fit a 64-bit column (``\d+`` also matches ١٢, which int()
# reads as 12); any other path is the router's 404
ID_PATH_REGEX = r"[0-9]{1,19}"

# ``[0-9]`` rather than ``\d``: ``\d`` on str matches every Unicode decimal digit.
_ASCII_DIGITS = re.compile(r"[0-9]+")


def normalize_identifier(value: object) -> str:
    """The text of an identifier as a person meant it: NFKC (full-width digits and punctuation to ASCII)
    and outer whitespace removed. Anything that is not a string (a JSON number, ``None``) becomes its text
    or the empty string."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_ascii_digits(value: object, *lengths: int) -> bool:
    """Whether ``value`` is a string of ASCII digits only (of one of ``lengths`` when given)."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return False
    return not lengths or len(value) in lengths


def starts_with_ascii_digit(value: object) -> bool:
    return isinstance(value, str) and _ASCII_DIGITS.match(value) is not None


@deconstructible
class DigitsValidator:
    """A model and form validator: exactly ``length`` ASCII digits (``RegexValidator(r"^\\d{8}$")`` lets
    look-alike digits through)."""

    def __init__(self, length: int, message: str) -> None:
        self.length = length
        self.message = message

    def __call__(self, value: object) -> None:
        if not is_ascii_digits(value, self.length):
            raise ValidationError(self.message, code="invalid")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DigitsValidator) and (self.length, self.message) == (
            other.length,
            other.message,
        )


class IdentifierFormField(forms.CharField):
    """A page's text input for an identifier: read as the person meant it (NFKC); the model's validators
    then accept ASCII digits only."""

    def to_python(self, value: object) -> str:
        return normalize_identifier(super().to_python(value))
