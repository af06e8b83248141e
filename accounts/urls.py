"""The account pages of ``accounts.views`` (allauth's own routes are composed in ``web.urls``)."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("company/register/", views.company_register, name="company-register"),
    path("company/members/", views.members, name="members"),
    path("company/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("company/members/<int:pk>/role/", views.member_role, name="member-role"),
    path("company/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    # anyone with the link (the token is signed; the invitation itself says if it is still good)
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("officers/", views.officer_requests, name="officer-requests"),
    path("officers/<int:pk>/<str:decision>/", views.officer_decide, name="officer-decide"),
]
