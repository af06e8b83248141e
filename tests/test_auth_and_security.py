import os
import secrets
import subprocess
import sys

import pytest

from certification.roles import Role
from config import settings as settings_module
from tests.factories import make_user

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def test_token_sign_in_and_use(client):
    user = make_user(Role.OFFICER, username="officer-token")
    response = client.post(TOKEN_URL, {"username": user.username, "password": "pw-for-tests-123"})
    assert response.status_code == 200
    token = response.json()["token"]
    listing = client.get("/api/v1/listings/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listing.status_code == 200


def test_wrong_password_is_400_with_field_errors(client):
    make_user(Role.OFFICER, username="officer-wrong")
    response = client.post(TOKEN_URL, {"username": "officer-wrong", "password": "nope"})
    assert response.status_code == 400
    assert response.json()["errors"]


def test_sign_in_is_rate_limited(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login": "3/hour"}
    statuses = [client.post(TOKEN_URL, {"username": "x", "password": "y"}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def test_security_headers_on_api(client):
    response = client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="sangsaeng.example.kr",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", "--tag", "security"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings_module.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_reviewer_can_use_the_admin_review_queue(client):
    from certification.roles import ensure_role_groups

    ensure_role_groups()
    reviewer = make_user(Role.REVIEWER, username="admin-reviewer")
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    assert client.get("/admin/certification/certificationapplication/").status_code == 200
    assert client.get("/admin/certification/auditevent/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
