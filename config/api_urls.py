"""Version 1 of the JSON API: each app contributes its own routes."""

urlpatterns: list = []
