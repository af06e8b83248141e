"""Routes of the server-rendered pages. Every view gets the Content-Security-Policy header."""

from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from web.security import security_headers
from web.sitemaps import SITEMAPS
from web.throttle import throttle_anonymous, throttle_sign_in
from web.views import (
    certificate_feed,
    common,
    evaluator,
    exports,
    media,
    panels,
    partner,
    review,
    search,
    supplier,
    verify,
)

pages = [
    path("", common.home, name="home"),
    # the public catalog: anyone, signed in or not (officers see more: web.views.search)
    path("search/", search.search, name="search"),
    path("products/<int:pk>/", search.product, name="product"),
    path("products/<int:pk>/image/", throttle_anonymous(media.product_image), name="product-image"),
    # anyone, signed in or not: certificate verification (the QR code's target) and the status feed
    path("verify/", throttle_anonymous(verify.verify), name="verify"),
    path("verify/<str:number>/", throttle_anonymous(verify.verify_certificate), name="verify-certificate"),
    path(
        "feeds/certificates.atom",
        throttle_anonymous(certificate_feed.certificate_events_feed),
        name="certificate-feed",
    ),
    # the certificate document: its holder, reviewers and admins
    path("certificates/<str:number>/document.pdf", verify.certificate_document, name="certificate-document"),
    # suppliers
    path("supplier/", supplier.dashboard, name="supplier-dashboard"),
    path("supplier/applications/new/", supplier.application_create, name="application-create"),
    path("supplier/applications/<int:pk>/", supplier.application_detail, name="application-detail"),
    path("supplier/applications/<int:pk>/edit/", supplier.application_edit, name="application-edit"),
    path(
        "supplier/applications/<int:pk>/evidence/", supplier.application_evidence, name="application-evidence"
    ),
    path(
        "supplier/applications/<int:pk>/evidence/<int:document_pk>/remove/",
        supplier.evidence_remove,
        name="evidence-remove",
    ),
    path("supplier/applications/<int:pk>/submit/", supplier.application_submit, name="application-submit"),
    path(
        "supplier/applications/<int:pk>/partner-confirmation/",
        supplier.application_partner_request,
        name="application-partner-request",
    ),
    path(
        "supplier/applications/<int:pk>/withdraw/", supplier.application_withdraw, name="application-withdraw"
    ),
    path("supplier/certificates/<int:pk>/renew/", supplier.certificate_renew, name="certificate-renew"),
    path("supplier/listings/", supplier.listing_list, name="supplier-listings"),
    path("supplier/listings/new/", supplier.listing_create, name="listing-create"),
    path("supplier/listings/<int:pk>/edit/", supplier.listing_edit, name="listing-edit"),
    path("supplier/listings/<int:pk>/publish/", supplier.listing_publish, name="listing-publish"),
    path("supplier/listings/<int:pk>/delete/", supplier.listing_delete, name="listing-delete"),
    path("documents/<int:pk>/", common.evidence_download, name="evidence-download"),
    # reviewers and admins
    path("review/", review.queue, name="review-queue"),
    path("review/applications/<int:pk>/", review.application_detail, name="review-application"),
    path("review/applications/<int:pk>/start/", review.start_review, name="review-start"),
    path("review/applications/<int:pk>/panel/", panels.form_panel, name="review-panel"),
    path("review/applications/<int:pk>/stage/", panels.record_stage, name="review-stage"),
    path("review/applications/<int:pk>/supplement/", review.request_supplement, name="review-supplement"),
    path("review/applications/<int:pk>/approve/", review.approve, name="review-approve"),
    path("review/applications/<int:pk>/reject/", review.reject, name="review-reject"),
    path("review/certificates/", review.certificate_list, name="certificate-list"),
    path("review/certificates/<int:pk>/", review.certificate_detail, name="certificate-detail"),
    path(
        "review/certificates/<int:pk>/<str:action>/",
        review.certificate_action,
        name="certificate-action",
    ),
    # evaluators: the panels they sit on
    path("evaluations/", evaluator.assignments, name="evaluations"),
    path("evaluations/<int:pk>/", evaluator.evaluation, name="evaluation"),
    # members of a partner enterprise: what names their company, and their answers (web.views.partner)
    path("partner/", partner.partner_requests, name="partner-requests"),
    path("partner/requests/<int:pk>/", partner.partner_request_detail, name="partner-request"),
    path("partner/requests/<int:pk>/confirm/", partner.partner_confirm, name="partner-confirm"),
    path("partner/requests/<int:pk>/decline/", partner.partner_decline, name="partner-decline"),
    # administrators
    path("exports/", exports.exports, name="exports"),
    path("exports/<int:pk>/", exports.export_detail, name="export-detail"),
    path("exports/<int:pk>/progress/", exports.export_progress, name="export-progress"),
    path("exports/<int:pk>/cancel/", exports.export_cancel, name="export-cancel"),
    path("exports/<int:pk>/download/", exports.export_download, name="export-download"),
    path("exports/<int:pk>/report/", exports.export_report, name="export-report"),
]

accounts = [
    path(
        "accounts/login/",
        throttle_sign_in(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
]


def _secured(patterns):
    for pattern in patterns:
        pattern.callback = security_headers(pattern.callback)
    return patterns


urlpatterns = [
    path("", include((_secured(pages), "web"))),
    *_secured(accounts),
    path("sitemap.xml", throttle_anonymous(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
]
