"""Routes of the server-rendered pages. Every view gets the Content-Security-Policy header."""

from allauth.account import urls as allauth_urls
from allauth.account import views as allauth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, include, path

from accounts import urls as account_pages
from web.security import security_headers
from web.sitemaps import SITEMAPS
from web.throttle import throttle_anonymous, throttle_sign_in
from web.views import (
    certificate_feed,
    common,
    compare,
    evaluator,
    exports,
    media,
    notifications,
    panels,
    partner,
    program,
    result_exports,
    review,
    saved_searches,
    search,
    shortlists,
    supplier,
    uploads,
    verify,
)

pages = [
    path("", common.home, name="home"),
    # the public catalog: anyone, signed in or not (officers see more: web.views.search)
    path("search/", search.search, name="search"),
    path("products/<int:pk>/", search.product, name="product"),
    path("products/<int:pk>/image/", throttle_anonymous(media.product_image), name="product-image"),
    # officer tools (issue 21): anyone compares and prints; signed-in officers export results
    path("products/<int:pk>/print/", throttle_anonymous(compare.product_print), name="product-print"),
    path("compare/", throttle_anonymous(compare.compare_products), name="compare"),
    path("search/export.<str:export_format>", result_exports.export_results, name="search-export"),
    path("search/exports/<int:pk>/", result_exports.result_export, name="result-export"),
    path(
        "search/exports/<int:pk>/progress/",
        result_exports.result_export_progress,
        name="result-export-progress",
    ),
    path(
        "search/exports/<int:pk>/download/",
        result_exports.result_export_download,
        name="result-export-download",
    ),
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
    # bulk upload (catalog.uploads)
    path("supplier/listings/upload/", uploads.upload_home, name="listing-uploads"),
    path(
        "supplier/listings/upload/template.<str:kind>",
        uploads.upload_template,
        name="listing-upload-template",
    ),
    path("supplier/listings/upload/<int:pk>/", uploads.upload_detail, name="listing-upload"),
    path(
        "supplier/listings/upload/<int:pk>/progress/", uploads.upload_progress, name="listing-upload-progress"
    ),
    path("supplier/listings/upload/<int:pk>/commit/", uploads.upload_commit, name="listing-upload-commit"),
    path(
        "supplier/listings/upload/<int:pk>/report.xlsx", uploads.upload_report, name="listing-upload-report"
    ),
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
    # admins and program staff: the program dashboard and search insight (issue 23)
    path("program/", program.dashboard, name="program"),
    path("program/data/<slug:key>.csv", program.table_download, name="program-csv"),
    path("program/search/", program.search_insight, name="program-search"),
    path("program/search/synonyms/", program.add_synonym, name="program-synonym"),
    # anyone: public statistics (the open data is /api/v1/public/statistics/)
    path("statistics/", program.statistics, name="statistics"),
    # every signed-in user: their own notifications and preferences
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/read-all/", notifications.mark_all_read, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", notifications.mark_read, name="notification-read"),
    path("notifications/preferences/", notifications.preferences, name="notification-preferences"),
    # procurement officers: shortlists (관심 제품) and saved searches (web.views.shortlists, saved_searches)
    path("shortlists/", shortlists.shortlist_list, name="shortlists"),
    path("shortlists/<int:pk>/", shortlists.shortlist_detail, name="shortlist"),
    path("shortlists/<int:pk>/rename/", shortlists.shortlist_rename, name="shortlist-rename"),
    path("shortlists/<int:pk>/delete/", shortlists.shortlist_delete, name="shortlist-delete"),
    path("shortlists/<int:pk>/share/", shortlists.shortlist_share, name="shortlist-share"),
    path(
        "shortlists/<int:pk>/unshare/", shortlists.shortlist_share, {"share": False}, name="shortlist-unshare"
    ),
    path("shortlists/items/<int:pk>/note/", shortlists.item_note, name="shortlist-item-note"),
    path("shortlists/items/<int:pk>/remove/", shortlists.item_remove, name="shortlist-item-remove"),
    path("shortlists/add/<int:listing_pk>/", shortlists.item_add, name="shortlist-add"),
    # anyone holding a shared list's link (an unguessable token; revoked, it is a 404)
    path("shared/shortlists/<str:token>/", shortlists.shortlist_shared, name="shortlist-shared"),
    path("saved-searches/", saved_searches.saved_search_list, name="saved-searches"),
    path("saved-searches/<int:pk>/run/", saved_searches.saved_search_run, name="saved-search-run"),
    path("saved-searches/<int:pk>/alert/", saved_searches.saved_search_alert, name="saved-search-alert"),
    path("saved-searches/<int:pk>/delete/", saved_searches.saved_search_delete, name="saved-search-delete"),
]

# Accounts: django-allauth's views (docs/accounts.md). Sign-in draws on the shared sign-in budgets
# (core.throttling) under both names, "login" (used across the templates) and allauth's "account_login".
sign_in = throttle_sign_in(allauth_views.login)
accounts = [
    path("accounts/login/", sign_in, name="login"),
    path("accounts/login/", sign_in, name="account_login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    path("accounts/logout/", allauth_views.logout, name="account_logout"),
]
# the allauth routes this site uses (its e-mail, password and confirmation pages); the rest (login codes,
# phone numbers, passkeys) stay unrouted
ALLAUTH_ROUTES = {
    "account_signup",
    "account_inactive",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_reauthenticate",
}
allauth_routes = [
    URLPattern(entry.pattern, entry.callback, entry.default_args, entry.name)
    for entry in allauth_urls.urlpatterns
    if isinstance(entry, URLPattern) and entry.name in ALLAUTH_ROUTES
]


def _secured(patterns):
    for pattern in patterns:
        pattern.callback = security_headers(pattern.callback)
    return patterns


urlpatterns = [
    path("", include((_secured(pages), "web"))),
    *_secured(accounts),
    path("accounts/", include(_secured(allauth_routes))),
    path("accounts/", include((_secured(list(account_pages.urlpatterns)), "accounts"))),
    path("sitemap.xml", throttle_anonymous(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
]
