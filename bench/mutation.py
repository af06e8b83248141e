"""Mutation run of rule modules with their narrowest test selection, on demand (never in CI).

    python bench/mutation.py certification/workflow.py            # the module's own test selection
    python bench/mutation.py catalog/feeds/records.py --tests tests/feeds/test_formats.py
    python bench/mutation.py certification/validators.py core/identifiers.py   # one run, both selections
    python bench/mutation.py search/backends/database.py --mutants 'search.backends.database.xǁDatabaseBackendǁ_filtered*'
    python bench/mutation.py --list                               # the modules and their selections

mutmut reads one ``[tool.mutmut]`` for a checkout, and its test selection there is the union every module
needs (minutes per mutant on a shared machine). This runner copies the checkout's tracked files into a
scratch folder (``--workdir``, default ``/var/tmp/sangsaeng-mutation/<modules>``), narrows ``only_mutate``
and ``pytest_add_cli_args_test_selection`` to the module and its tests there, runs ``mutmut run`` and
prints ``mutmut results`` (the survivors). The checkout itself is never modified; rerunning in the same
work folder resumes (mutmut keeps its results in ``mutants/``). SQLite (``DATABASE_URL`` is cleared).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Per module: the tests that exercise its rules directly. Wider selections only make each mutant slower;
# a mutant none of these reach is reported as "no tests" and is then judged by hand (docs/operations.md).
SELECTIONS: dict[str, list[str]] = {
    # the table's own tests (104 tests with the API's took 95 s a run here, too slow per mutant)
    "certification/workflow.py": [
        "tests/certification/test_workflow_table.py",
        "tests/certification/test_workflow_rule_mutants.py",
    ],
    # the rule tests without a database first: mutmut runs the fastest tests first and stops at a failure
    "certification/validators.py": [
        "tests/certification/test_identifier_rules.py",
        "tests/certification/test_validation.py",
        "tests/test_lookalike_digits.py",
    ],
    "certification/codes.py": [
        "tests/certification/test_identifier_rules.py",
        "tests/certification/test_validation.py",
        "tests/test_lookalike_digits.py",
    ],
    "core/identifiers.py": [
        "tests/certification/test_identifier_rules.py",
        "tests/test_lookalike_digits.py",
        "tests/test_query_bounds.py",
    ],
    "catalog/visibility.py": [
        "tests/catalog/test_visibility_rules.py",
        "tests/catalog/test_rule_mutants.py",
        "tests/catalog/test_visibility_history.py",
        "tests/feeds/test_validation.py",
        "tests/catalog/test_listings_api.py::test_detail_has_etag_and_last_modified_and_revalidates",
    ],
    # the listing ETag (If-None-Match / If-Modified-Since on one listing)
    "catalog/api/conditional.py": [
        "tests/catalog/test_visibility_rules.py",
        "tests/catalog/test_rule_mutants.py",
        "tests/catalog/test_listings_api.py::test_detail_has_etag_and_last_modified_and_revalidates",
    ],
    # the row rules without a database, as run in session 18 (with the export tests a mutant they do not
    # kill at once spent minutes in the feed world's database; RowHasher.__call__ and as_dict are theirs),
    # and session 19's digest and names (the module's row_hash and the tests' names are built at import)
    "catalog/feeds/nara.py": [
        "tests/feeds/test_row_rules.py",
        "tests/feeds/test_pps_rules.py",
        "tests/feeds/test_row_hash_rules.py",
    ],
    # feed 2.0: its rule tests need no database (the exports' tests each build the feed world)
    "catalog/feeds/nara2.py": [
        "tests/feeds/test_pps_rules.py",
        "tests/feeds/test_fast_paths.py",
        "tests/feeds/test_row_rules.py",
    ],
    "catalog/feeds/pps.py": [
        "tests/feeds/test_pps_rules.py",
        "tests/feeds/test_fast_paths.py",
        "tests/feeds/test_row_rules.py",
    ],
    "catalog/feeds/records.py": [
        "tests/feeds/test_row_rules.py",
        "tests/feeds/test_record_rules.py",
        "tests/feeds/test_formats.py",
        "tests/feeds/test_as_of_history.py",
    ],
    "catalog/feeds/writers.py": [
        "tests/feeds/test_writer_rules.py",
        "tests/feeds/test_formats.py",
        "tests/feeds/test_xlsx.py",
    ],
    "catalog/feeds/delta.py": ["tests/feeds/test_delta.py", "tests/feeds/test_delta_rules.py"],
    # the query plan both backends translate: its rules without a backend (new rule tests first)
    "search/plan.py": ["tests/search/test_plan_rules.py", "tests/search/test_plan.py"],
    # the filterset rule tests first (mutmut stops at the first failure), then the APIs that use them
    "catalog/filtersets.py": [
        "tests/catalog/test_listing_filter_rules.py",
        "tests/catalog/test_listings_api.py",
        "tests/test_query_bounds.py",
    ],
    "certification/filtersets.py": [
        "tests/certification/test_filter_rules.py",
        "tests/certification/test_public_api.py",
        "tests/test_query_bounds.py",
    ],
    # the filters on data: the database backend's half of the contract (the search migrations must run);
    # its own rules (ordering, cursors, facets, matching) first, on rows written straight to the table
    "search/backends/database.py": [
        "tests/search/test_database_backend_rules.py",
        "tests/search/test_contract.py::test_page_and_cursor_paging_cover_everything_once",
        "tests/search/test_contract.py::test_facet_counts",
        "tests/search/test_contract.py::test_filters",
        "tests/search/test_contract.py::test_expiring_soon_filter_and_facet",
        "tests/search/test_contract.py::test_expiry_by_date_hides_without_any_write",
        "tests/search/test_contract.py::test_no_match_and_empty_query",
    ],
    # the request bodies without an engine: the text query scored by the test's reading of it, the filters
    "search/backends/elasticsearch/query.py": [
        "tests/search/test_text_query_rules.py",
        "tests/search/test_filter_translation.py",
    ],
}


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def narrowed_pyproject(text: str, modules: list[str], tests: list[str]) -> str:
    """The checkout's pyproject.toml with mutmut's module list and test selection narrowed."""
    text, found = re.subn(r"(?ms)^only_mutate = \[.*?^\]", f"only_mutate = {_toml_list(modules)}", text)
    text, found_tests = re.subn(
        r"(?ms)^pytest_add_cli_args_test_selection = \[.*?^\]",
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}",
        text,
    )
    if not (found and found_tests):
        raise SystemExit("pyproject.toml has no [tool.mutmut] only_mutate / test selection to narrow")
    return text


def prepare(workdir: Path, modules: list[str], tests: list[str]) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if not name:
            continue
        source, target = ROOT / name, workdir / name
        if not source.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # copy only what changed, so a resumed run keeps mutmut's own files beside them
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copy2(source, target)
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    (workdir / "pyproject.toml").write_text(narrowed_pyproject(pyproject, modules, tests), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    # several modules share one run (one clean run and one coverage pass instead of one each)
    parser.add_argument("modules", nargs="*", help="rule modules, e.g. certification/workflow.py")
    parser.add_argument("--tests", nargs="+", help="the test selection (default: the module's own, --list)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default /var/tmp/sangsaeng-mutation/…)")
    # mutmut's own narrowing by mutant name, e.g. 'search.backends.database.xǁDatabaseBackendǁ_filtered*'
    parser.add_argument("--mutants", nargs="+", default=[], help="only these mutant names or globs")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--list", action="store_true", help="print the modules and their test selections")
    args = parser.parse_args(argv)
    if args.list or not args.modules:
        for module, tests in SELECTIONS.items():
            print(f"{module}: {' '.join(tests)}")
        return 0
    tests = args.tests
    if not tests:
        unknown = [module for module in args.modules if module not in SELECTIONS]
        if unknown:
            parser.error(f"no test selection known for {' '.join(unknown)}: pass --tests")
        tests = list(dict.fromkeys(test for module in args.modules for test in SELECTIONS[module]))
    slug = "+".join(module.removesuffix(".py").replace("/", ".") for module in args.modules)
    workdir = args.workdir or Path("/var/tmp/sangsaeng-mutation") / slug
    workdir.mkdir(parents=True, exist_ok=True)
    prepare(workdir, args.modules, tests)
    env = {**os.environ, "DATABASE_URL": ""}
    mutmut = Path(sys.executable).with_name("mutmut")
    print(f"mutmut over {' '.join(args.modules)} with {' '.join(tests)} in {workdir}", flush=True)
    run = subprocess.run(
        [str(mutmut), "run", "--max-children", str(args.max_children), *args.mutants], cwd=workdir, env=env
    )
    subprocess.run([str(mutmut), "results"], cwd=workdir, env=env)
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
