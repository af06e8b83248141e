"""Demo data for `make run`: one user per role so every page and endpoint can be tried at once."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from certification.roles import Role, ensure_role_groups

DEMO_PASSWORD = "sangsaeng-demo-2026"
DEMO_USERS = {
    "admin": Role.ADMIN,
    "reviewer": Role.REVIEWER,
    "officer": Role.OFFICER,
}


def load_demo_data() -> dict[str, int]:
    ensure_role_groups()
    user_model = get_user_model()
    for username, role in DEMO_USERS.items():
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": role in {Role.ADMIN, Role.REVIEWER}}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = role is Role.ADMIN
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
    return {"users": user_model.objects.count()}
