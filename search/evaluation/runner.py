"""Runs the judged query set on one backend against a loaded generated catalog, and sums it up.

Every query asks for the first ``TOP`` results by relevance (no facets): nDCG@10 and MRR read the first
ten and the first fifty, recall reads all ``TOP``. The grades come from ``judgments.grade``, which reads
the generator's ground truth; a result that is not a product of the catalog is a 0.
"""

from dataclasses import asdict, dataclass, field

from catalog.generator.bulk import LoadedCatalog
from search.backends.base import SearchBackend, SearchQuery
from search.evaluation import metrics
from search.evaluation.judgments import CATEGORIES, JudgedQuery, grade
from search.evaluation.queries import QUERIES

TOP = 50
NDCG_AT = 10


@dataclass
class QueryScore:
    category: str
    text: str
    filters: dict
    ndcg: float
    reciprocal_rank: float
    recall: float | None
    total: int
    relevant: int
    top: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def zero(self) -> bool:
        return self.total == 0


@dataclass
class Report:
    backend: str
    size: int
    seed: int
    scores: list[QueryScore]
    #: queries this catalog cannot judge (too small to hold their subject)
    skipped: list[str] = field(default_factory=list)

    def summary(self, category: str | None = None) -> dict:
        scores = [s for s in self.scores if category is None or s.category == category]
        answerable = [s for s in scores if s.relevant]
        return {
            "queries": len(scores),
            "ndcg@10": _round(metrics.mean([s.ndcg for s in scores])),
            "mrr": _round(metrics.mean([s.reciprocal_rank for s in scores])),
            "recall@50": _round(metrics.mean([s.recall for s in scores])),
            # among queries that have relevant products: how many found nothing at all
            "zero_result_rate": _round(
                sum(s.zero for s in answerable) / len(answerable) if answerable else None
            ),
        }

    def worst(self, count: int = 10) -> list[QueryScore]:
        return sorted(self.scores, key=lambda s: (s.ndcg, s.recall or 0, s.text))[:count]

    def as_dict(self, worst: int = 10) -> dict:
        return {
            "backend": self.backend,
            "size": self.size,
            "seed": self.seed,
            "overall": self.summary(),
            "categories": {
                c: self.summary(c) for c in CATEGORIES if any(s.category == c for s in self.scores)
            },
            "worst": [asdict(s) for s in self.worst(worst)],
            "skipped": self.skipped,
            "queries": [asdict(s) for s in self.scores],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_query(
    backend: SearchBackend, loaded: LoadedCatalog, query: JudgedQuery, product_of: dict
) -> QueryScore | None:
    catalog = loaded.catalog
    resolved = query.on(catalog)
    if resolved is None:  # a catalog too small to have the query's subject
        return None
    grades = {p.index: grade(query, resolved, p, catalog) for p in catalog.listed}
    if query.category != "nothing" and 2 not in grades.values():
        return None  # nothing in this catalog is what the query asks for: it would judge nothing
    result = backend.search(
        SearchQuery(text=resolved.text, filters=query.filters, page_size=TOP, facets=False)
    )
    ranked = [grades.get(product_of.get(hit.id, -1), 0) for hit in result.hits]
    relevant = [g for g in grades.values() if g > 0]
    return QueryScore(
        category=query.category,
        text=resolved.text,
        filters={k: v for k, v in asdict(query.filters).items() if v is not None},
        ndcg=metrics.ndcg(ranked, relevant, NDCG_AT),
        reciprocal_rank=metrics.reciprocal_rank(ranked, relevant),
        recall=metrics.recall(ranked, relevant, TOP),
        total=result.total,
        relevant=len(relevant),
        top=[
            f"{hit.name} {hit.specification} [{g}]" for hit, g in zip(result.hits[:3], ranked, strict=False)
        ],
        note=query.note,
    )


def evaluate(
    backend: SearchBackend, loaded: LoadedCatalog, queries: list[JudgedQuery] | None = None
) -> Report:
    product_of = loaded.product_of()
    queries = queries or QUERIES
    scores = [score_query(backend, loaded, query, product_of) for query in queries]
    return Report(
        backend.name,
        len(loaded.catalog.products),
        loaded.catalog.seed,
        [s for s in scores if s],
        skipped=[q.text or q.note for q, s in zip(queries, scores, strict=True) if s is None],
    )


def format_report(report: Report, worst: int = 10) -> str:
    """A plain-text table: overall, per category, the worst queries."""
    columns = ("queries", "ndcg@10", "mrr", "recall@50", "zero_result_rate")
    lines = [
        f"backend {report.backend}: {report.size} products (seed {report.seed}), {len(report.scores)} queries",
        f"{'category':<12}" + "".join(f"{c:>18}" for c in columns),
    ]
    rows = [("overall", report.summary())] + [
        (c, report.summary(c)) for c in CATEGORIES if any(s.category == c for s in report.scores)
    ]
    for name, summary in rows:
        lines.append(
            f"{name:<12}" + "".join(f"{'-' if summary[c] is None else summary[c]:>18}" for c in columns)
        )
    if report.skipped:
        lines.append(f"skipped (no subject in this catalog): {', '.join(report.skipped)}")
    lines.append(f"worst {worst}:")
    for s in report.worst(worst):
        recall = "-" if s.recall is None else f"{s.recall:.2f}"
        filters = f" {s.filters}" if s.filters else ""
        lines.append(
            f"  nDCG {s.ndcg:.2f} recall {recall} total {s.total:>4} relevant {s.relevant:>4}  "
            f"[{s.category}] {s.text!r}{filters}  → {' | '.join(s.top) or '(nothing)'}"
        )
    return "\n".join(lines)
