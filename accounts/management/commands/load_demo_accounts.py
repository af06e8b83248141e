from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand

from accounts.demo import load_demo_accounts


class Command(BaseCommand):
    help = (
        "The accounts demo (idempotent; load_demo_data runs it): supplier1 as its company's administrator, "
        "a pending invitation, an officer awaiting approval."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="the pending officer's password")

    def handle(self, *args, **options):
        for key, value in load_demo_accounts(make_password(options["password"])).items():
            self.stdout.write(f"{key}: {value}")
