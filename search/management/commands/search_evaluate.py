"""``manage.py search_evaluate``: the relevance evaluation (``search.evaluation``) on a generated catalog.

It never touches your data: like the test runner, it creates a throwaway database (``test_<name>``; in
memory on SQLite), loads a generated catalog of ``--size`` products from ``--seed`` with bulk inserts,
indexes it into each backend (Elasticsearch under an index prefix of its own, removed afterwards), runs
the judged query set and prints nDCG@10, MRR, recall@50 and the zero-result rate, overall and per
category, and the worst queries.
"""

import contextlib
import io
import json
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings, setup_databases, teardown_databases

from catalog.generator.bulk import load_catalog
from search import sync
from search.backends import get_backend
from search.backends.base import SearchError
from search.evaluation.runner import evaluate, format_report


class Command(BaseCommand):
    help = "Evaluate search relevance on a generated catalog in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            action="append",
            choices=["database", "elasticsearch"],
            help="repeat for both (default: database)",
        )
        parser.add_argument("--size", type=int, default=5000, help="products in the catalog (default 5000)")
        parser.add_argument("--seed", type=int, default=19)
        parser.add_argument("--worst", type=int, default=10, help="how many of the worst queries to show")
        parser.add_argument("--json", action="store_true", dest="as_json", help="the full report as JSON")

    def handle(self, *args, backend, size, seed, worst, as_json, **options):
        if size < 1:
            raise CommandError("--size must be 1 or more")
        backends = backend or ["database"]
        # creating the test database runs createcachetable, which reports on stdout: keep --json clean
        with contextlib.redirect_stdout(io.StringIO()):
            old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        reports = []
        try:
            loaded = load_catalog(size=size, seed=seed)
            for name in backends:
                reports.append(self._run(name, loaded))
        except SearchError as exc:
            raise CommandError(f"search unavailable: {exc}") from exc
        finally:
            teardown_databases(old_config, verbosity=0)
        if as_json:
            self.stdout.write(json.dumps([r.as_dict(worst) for r in reports], ensure_ascii=False, indent=2))
            return
        for report in reports:
            self.stdout.write(format_report(report, worst) + "\n")

    def _run(self, name: str, loaded):
        prefix = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-eval-{uuid.uuid4().hex[:8]}"
        with override_settings(
            SEARCH_BACKEND=name,
            SEARCH_SYNC_ON_COMMIT=False,
            SEARCH_FALLBACK_TO_DATABASE=False,
            ELASTICSEARCH_INDEX_PREFIX=prefix,
        ):
            backend = get_backend(name)
            try:
                backend.ensure()
                sync.rebuild(backend)
                return evaluate(backend, loaded)
            finally:
                if name == "elasticsearch":
                    _drop_indices(prefix)


def _drop_indices(prefix: str) -> None:
    """Best effort: an unreachable server has nothing to delete, and its error is the one to report."""
    from search.es_client import get_client

    try:
        get_client().indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)
    except Exception:
        return
