from django.core.management.base import BaseCommand

from catalog.demo import load_demo_data


class Command(BaseCommand):
    help = "Loads realistic demo data (idempotent): users for each role, companies, certificates, listings."

    def handle(self, *args, **options):
        summary = load_demo_data()
        for key, value in summary.items():
            self.stdout.write(f"{key}: {value}")
