"""Stateful API fuzzing on demand: schemathesis over the whole OpenAPI schema, as every role.

    python bench/fuzz_api.py                       # 100 examples per operation, every role, SQLite
    python bench/fuzz_api.py --examples 200 --stateful 50 --roles admin,anonymous
    DATABASE_URL=postgres://…/sangsaeng_me python bench/fuzz_api.py   # on PostgreSQL

Runs ``tests/reliability/test_fuzz_api.py`` with larger budgets than the suite's (which stays short):
``--examples`` generated requests per operation and role (valid and invalid), then ``--stateful``
sequences per role that follow the schema's links (create → read → update → transition,
``core.schema_links``). Every answer must not be a 5xx and must match the schema (status, content type,
body). The roles: admin, supplier (supplier_a), reviewer, officer and anonymous. A failure prints a
``curl`` line that reproduces it; the exit status is pytest's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=100, help="generated requests per operation and role")
    parser.add_argument("--stateful", type=int, default=25, help="linked sequences per role")
    parser.add_argument(
        "--roles", default="all", help="comma-separated: admin,supplier_a,reviewer,officer,anonymous"
    )
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (e.g. -k stateful)")
    args = parser.parse_args(argv)
    env = {
        **os.environ,
        "FUZZ_MAX_EXAMPLES": str(args.examples),
        "FUZZ_STATEFUL_EXAMPLES": str(args.stateful),
        "FUZZ_ROLES": args.roles,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/reliability/test_fuzz_api.py",
        "-p",
        "no:cacheprovider",
        "-q",
        "-m",
        "not elasticsearch and not browser and not image",
        *args.pytest_args,
    ]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
