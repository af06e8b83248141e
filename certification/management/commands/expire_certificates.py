"""The daily certificate job (cron, systemd timer, k8s CronJob): lifts suspensions whose end date has
passed, then marks certificates past their expiry date as expired."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.services import expire_due_certificates, lift_ended_suspensions


class Command(BaseCommand):
    help = (
        "Reinstate suspended certificates whose suspension has ended, and expire active or suspended "
        "certificates whose validity has ended. Safe to run repeatedly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="treat this ISO date (YYYY-MM-DD) as today, e.g. to catch up after an outage",
        )

    def handle(self, *args: object, **options: object) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(str(options["today"]))
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, got {options['today']!r}") from exc
        lifted = lift_ended_suspensions(today)
        count = expire_due_certificates(today)
        self.stdout.write(self.style.SUCCESS(f"Reinstated {lifted} certificate(s) whose suspension ended."))
        self.stdout.write(self.style.SUCCESS(f"Expired {count} certificate(s)."))
