"""manage.py export_nara: run a Nara Marketplace feed export from the shell or a scheduler."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from catalog.feeds import services
from catalog.feeds.models import ExportFormat, ExportKind, ExportStatus
from catalog.feeds.versions import VERSIONS
from core.domain import DomainError


class _TqdmProgress:
    def __init__(self, enabled: bool, stream) -> None:
        self.enabled = enabled
        self.stream = stream
        self.bar: tqdm | None = None

    def start(self, total: int) -> None:
        if self.enabled:
            self.bar = tqdm(total=total, unit="row", desc="나라장터 feed", file=self.stream, mininterval=0.5)

    def advance(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _parse_since(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since {value!r} is not an ISO 8601 date or date-time")
        moment = datetime.combine(day, datetime.min.time())
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Export listed products as a Nara Marketplace feed (full, or a delta with --since-job/--since) "
        "and record the export job."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=ExportFormat.values, default=ExportFormat.CSV)
        since = parser.add_mutually_exclusive_group()
        since.add_argument("--since-job", type=int, help="delta against this export job id")
        since.add_argument(
            "--since", help="delta against the last successful export at or before this ISO date/time"
        )
        parser.add_argument(
            "--sector", action="append", choices=["goods", "services", "construction"], help="repeatable"
        )
        parser.add_argument("--supplier", action="append", type=int, help="company id; repeatable")
        parser.add_argument(
            "--feed-version",
            choices=list(VERSIONS),
            help="feed format (default 2.0; 1.0 is deprecated); a delta defaults to its base job's version",
        )
        parser.add_argument("--user", help="record the export as this admin user (default: system)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get_by_natural_key(options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user {options['user']!r}") from None
        since = _parse_since(options["since"]) if options["since"] else None
        kind = ExportKind.DELTA if options["since_job"] or since else ExportKind.FULL
        filters = {}
        if options["sector"]:
            filters["sector"] = options["sector"]
        if options["supplier"]:
            filters["supplier"] = options["supplier"]

        progress = _TqdmProgress(not options["no_progress"], self.stderr._out)
        try:
            job = services.run_export(
                actor,
                export_format=options["format"],
                kind=kind,
                since_job=options["since_job"],
                since=since,
                # a delta takes its base job's filters unless the caller names some
                filters=filters or (None if kind == ExportKind.DELTA else {}),
                feed_version=options["feed_version"],
                progress=progress,
            )
        except (ValidationError, DomainError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()

        if job.status != ExportStatus.SUCCEEDED:
            raise CommandError(f"export job {job.pk} failed: {job.error_message}")
        try:
            location = job.file.path
        except NotImplementedError:  # remote storage has no local path
            location = job.file.url
        self.stdout.write(f"job: {job.pk} ({job.kind} {job.format}, feed_version {job.feed_version})")
        self.stdout.write(
            f"rows: {job.row_count}  listed: {job.listed_count}  added: {job.added_count}  "
            f"changed: {job.changed_count}  delisted: {job.delisted_count}  rejected: {job.rejected_count}"
        )
        self.stdout.write(f"file: {location}")
        self.stdout.write(f"size: {job.file_size}")
        self.stdout.write(f"sha256: {job.sha256}")
