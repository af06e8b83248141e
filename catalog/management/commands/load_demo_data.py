from django.core.management import call_command
from django.core.management.base import BaseCommand

from catalog.demo import EVALUATOR_COUNT, load_demo_data
from catalog.demo_data import PARTNERS, SUPPLIERS
from catalog.demo_people import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Loads realistic demo data (idempotent): users for each role, evaluators, companies, calls, "
        "applications at every review stage, certificates, listings."
    )

    def handle(self, *args, **options):
        summary = load_demo_data()
        for key, value in summary.items():
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(
            f"demo accounts (password {DEMO_PASSWORD}): admin, reviewer, officer, "
            f"supplier1 … supplier{len(SUPPLIERS)}, partner1 … partner{len(PARTNERS)} (partner enterprises), "
            f"evaluator1 … evaluator{EVALUATOR_COUNT}"
        )
        # the accounts app's part (by name: the catalog does not import accounts)
        call_command("load_demo_accounts", password=DEMO_PASSWORD, stdout=self.stdout)
