"""Nara readiness of one listing: would the feed export it today, and if not, why.

The answer is the feed's own validation in the current feed version (``catalog.feeds.versions.CURRENT``:
its ``validate_row`` on the row its ``build_row`` makes, PPS formats included) plus the visibility rule's reason when the listing is not in the listed catalog at all (an
unpublished listing is never exported, whatever its row holds). Reasons are worded in the reader's
language: the project's messages are bilingual, ``"한국어 (English)."``, and ``in_language`` picks one half.
"""

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language

from catalog.feeds.nara import ClassificationNames, Reason, RowContext
from catalog.feeds.records import ListingRecord
from catalog.feeds.versions import CURRENT
from catalog.models import ProductListing
from catalog.uploads.issues import Code

# "한국어 문장 (English sentence)." → the two halves; the English half is the last parenthesis
_BILINGUAL = re.compile(r"^(?P<ko>.*?)\s*\((?P<en>[^()]*[A-Za-z][^()]*)\)\.?$", re.DOTALL)
_LABELS = {column.key: column.label for column in CURRENT.columns}
_UNPUBLISHED = "게시하지 않은 제품은 피드에 실리지 않습니다 (unpublished listings are not in the feed)."


def in_language(message: str, language: str | None = None) -> str:
    language = (language or get_language() or "ko").lower()
    match = _BILINGUAL.match(message.strip())
    if not match:
        return message
    if language.startswith("en"):
        text = match["en"].strip()
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    return match["ko"].strip().rstrip(".") + "."


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reasons: tuple[Reason, ...]

    def messages(self, language: str | None = None) -> list[str]:
        return [in_language(reason.message, language) for reason in self.reasons]

    def labelled(self, language: str | None = None) -> list[tuple[str, str]]:
        """(column label, reason) pairs for a page."""
        return [
            (_LABELS.get(reason.field, ""), message)
            for reason, message in zip(self.reasons, self.messages(language), strict=True)
        ]


def nara_readiness(listing: ProductListing, names: ClassificationNames | None = None) -> Readiness:
    """``listing`` loaded with ``catalog.selectors.with_related`` (certificate, partner, supplier, regions)."""
    today = timezone.localdate()
    context = RowContext(names)
    record = ListingRecord.of(listing, context.zone)
    reasons = list(CURRENT.validate_row(CURRENT.build_row(record, context), record, today))
    if not listing.published:
        reasons.insert(0, Reason("", Code.UNPUBLISHED, _UNPUBLISHED))
    return Readiness(not reasons, tuple(reasons))
