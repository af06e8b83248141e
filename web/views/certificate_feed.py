"""The certificate status events as an Atom feed (``/feeds/certificates.atom``), open to anyone.

The newest events first, as feed readers expect; ``?since_date=YYYY-MM-DD`` keeps those from that day
on. Integrators that must not miss an event page through the JSON feed with its cursor instead
(``/api/v1/public/certificate-events/``); both read ``certification.events``.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, JsonResponse
from django.utils.feedgenerator import Atom1Feed

from certification import events, public
from certification.document import ITEM_LABEL
from certification.models import CertificateStatusChange
from core.domain import RuleViolation

ATOM_ENTRIES = 100


class CertificateEventsFeed(Feed):
    feed_type = Atom1Feed
    title = "상생협력제품 인증서 상태 변경 (certificate status events)"
    subtitle = "발급·정지·정지 해제·취소·만료·갱신 (issued, suspended, reinstated, revoked, expired, renewed)"
    link = "/verify/"
    author_name = "상생협력제품 조달 플랫폼"

    def __call__(self, request: HttpRequest, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except RuleViolation as exc:
            # the same JSON error shape as the API: a feed reader shows the status, a person the message
            return JsonResponse(
                {"detail": "Invalid input.", "code": exc.code, "errors": {exc.field: [str(exc)]}}, status=400
            )

    def get_object(self, request: HttpRequest, *args, **kwargs):
        since_date = request.GET.get("since_date")
        return public.parse_as_of(since_date, field="since_date") if since_date else None

    def items(self, since_day) -> list[CertificateStatusChange]:
        return events.latest_events(ATOM_ENTRIES, since_day)

    def item_title(self, event: CertificateStatusChange) -> str:
        kind = events.PUBLIC_KIND_LABEL[events.PUBLIC_KIND[event.kind]]
        return f"{event.certificate.number} {kind}: {event.certificate.supplier.name} · {event.certificate.product_name}"

    def item_description(self, event: CertificateStatusChange) -> str:
        certificate = event.certificate
        parts = [
            f"인증번호 {certificate.number}",
            f"공급기업 {certificate.supplier.name} ({certificate.supplier.business_number_display})",
            f"협력기업 {certificate.partner.name}",
            f"{ITEM_LABEL.get(certificate.sector, '품목 코드')} {certificate.classification_code}",
            f"유효기간 {certificate.issued_on:%Y-%m-%d} ~ {certificate.expires_on:%Y-%m-%d}",
            f"상태 {event.from_status or '—'} → {event.to_status}",
        ]
        if event.reason and events.PUBLIC_KIND[event.kind] in ("suspended", "revoked", "reinstated"):
            parts.append(f"사유 {event.reason}")
        return " · ".join(parts)

    def item_link(self, event: CertificateStatusChange) -> str:
        return public.verification_url(event.certificate.number)

    def item_guid(self, event: CertificateStatusChange) -> str:
        # stable for ever: the event's row never changes (the history is append-only)
        return f"urn:sangsaeng:certificate-event:{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event: CertificateStatusChange):
        return event.effective_at

    def item_updateddate(self, event: CertificateStatusChange):
        return event.effective_at

    def item_categories(self, event: CertificateStatusChange) -> tuple[str, ...]:
        return (events.PUBLIC_KIND[event.kind],)


certificate_events_feed = CertificateEventsFeed()
