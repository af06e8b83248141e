"""Drain the search outbox: once (cron, deploy hooks, tests) or forever (the compose ``worker``)."""

import signal
import time

from django.core.management.base import BaseCommand, CommandError

from search.sync import DEFAULT_BATCH_SIZE, drain, pending_count


class Command(BaseCommand):
    help = "Apply pending search index changes from the outbox to the search backend(s)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling for new rows")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument(
            "--retries", type=int, default=3, help="one-shot mode: retries on an outage before giving up"
        )
        parser.add_argument("--max-backoff", type=float, default=60.0)

    def handle(self, *args, loop, batch_size, interval, retries, max_backoff, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if not loop:
            stats = drain(batch_size=batch_size, retries=retries, max_backoff=max_backoff)
            self.stdout.write(
                f"batches={stats.batches} rows={stats.rows} indexed={stats.indexed} "
                f"deleted={stats.deleted} rejected={len(stats.failed)} pending={pending_count()}"
            )
            if not stats.ok:
                raise CommandError(f"search backend unavailable, rows kept for the next run: {stats.error}")
            return
        self._run_forever(batch_size, interval, max_backoff)

    def _run_forever(self, batch_size: float, interval: float, max_backoff: float) -> None:
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True  # finish the current batch; its transaction must not be cut in half

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        failures = 0
        self.stdout.write("search_sync: draining the outbox (Ctrl-C to stop)")
        while not stopping:
            stats = drain(batch_size=batch_size, max_batches=10, retries=0)
            if not stats.ok:
                failures += 1
                delay = min(max_backoff, interval * 2**failures)
                self.stderr.write(f"search_sync: {stats.error}; retrying in {delay:.0f}s")
            else:
                failures = 0
                if stats.rows:
                    self.stdout.write(
                        f"search_sync: indexed={stats.indexed} deleted={stats.deleted} "
                        f"rejected={len(stats.failed)}"
                    )
                delay = 0 if stats.batches >= 10 else interval
            slept = 0.0
            while slept < delay and not stopping:
                time.sleep(min(0.5, delay - slept))
                slept += 0.5
