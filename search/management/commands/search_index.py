"""Index lifecycle: ``rebuild`` (zero downtime), ``status``, ``ensure`` (deploy hook), ``cleanup``."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.domain import Conflict, NotPermitted
from search import sync, tasks
from search.backends import BACKEND_NAMES, get_backend
from search.backends.base import SearchError
from search.documents import listed_count


class Command(BaseCommand):
    help = "Manage the search index: rebuild | status | ensure | cleanup"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status", "ensure", "cleanup"])
        parser.add_argument("--backend", choices=BACKEND_NAMES, help="default: SEARCH_BACKEND")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs, CI)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="status as JSON")
        parser.add_argument(
            "--reanalyze",
            action="store_true",
            help="rebuild: build every document from scratch instead of reusing stored ones",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="rebuild: hand it to a worker as a job (progress: GET /api/v1/search/rebuilds/<id>/)",
        )
        parser.add_argument("--user", help="rebuild --queue: the administrator recorded as asking")

    def handle(self, *args, action, backend, no_progress, as_json, reanalyze, queue, user, **options):
        if queue:
            if action != "rebuild":
                raise CommandError("--queue is for rebuild")
            self._queue_rebuild(backend or settings.SEARCH_BACKEND, user, reuse_stored=not reanalyze)
            return
        search_backend = get_backend(backend)
        try:
            getattr(self, f"_{action}")(
                search_backend, no_progress=no_progress, as_json=as_json, reanalyze=reanalyze
            )
        except SearchError as exc:
            raise CommandError(str(exc)) from exc

    def _rebuild(self, backend, no_progress: bool, reanalyze: bool, **kwargs) -> None:
        total = listed_count()
        with tqdm(total=total, unit="doc", disable=no_progress, desc=f"rebuild {backend.name}") as bar:
            stats = sync.rebuild(backend, progress=bar.update, reuse_stored=not reanalyze)
        self.stdout.write(
            f"rebuilt {backend.name}: {stats.indexed} documents in {stats.seconds:.1f}s into {stats.index}"
            + (f"; removed {', '.join(stats.removed_indices)}" if stats.removed_indices else "")
        )

    def _queue_rebuild(self, backend: str, username: str | None, reuse_stored: bool) -> None:
        if not username:
            raise CommandError("--queue needs --user: the administrator the job is recorded for")
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"no user {username!r}")
        try:
            job = tasks.start_rebuild(actor, backend=backend, reuse_stored=reuse_stored)
        except (Conflict, NotPermitted) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"rebuild job {job.pk} of {backend}: {job.status}")

    def _status(self, backend, as_json: bool, **kwargs) -> None:
        listed = listed_count()
        status = {"listed_in_database": listed, "outbox_pending": sync.pending_count()}
        try:
            status.update(backend.status())
            status["in_step"] = status.get("count") == listed and not status["outbox_pending"]
        except SearchError as exc:
            status.update(backend=backend.name, error=str(exc), in_step=False)
        dead = sync.dead_rows()
        if dead:
            status["rejected_rows"] = [
                {"listing_id": row.listing_id, "attempts": row.attempts, "error": row.last_error[:200]}
                for row in dead
            ]
        if as_json:
            self.stdout.write(json.dumps(status, ensure_ascii=False, indent=2))
            return
        for key, value in status.items():
            self.stdout.write(f"{key}: {value}")

    def _ensure(self, backend, **kwargs) -> None:
        built = backend.ensure()
        self.stdout.write(f"{backend.name}: " + ("index created" if built else "index present"))

    def _cleanup(self, backend, **kwargs) -> None:
        removed = backend.cleanup()
        self.stdout.write(
            f"{backend.name}: removed {len(removed)} stale indices {' '.join(removed)}".rstrip()
        )
