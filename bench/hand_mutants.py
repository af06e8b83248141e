"""Hand-made mutants of rule functions mutmut leaves alone, on demand (never in CI).

    python -m bench.hand_mutants                   # every mutant below, against its tests
    python -m bench.hand_mutants --only certificate   # the mutants whose name holds "certificate"

mutmut 3.8 does not mutate decorated functions (other than ``staticmethod``/``classmethod``): the feed's
row checks cached with ``functools.lru_cache`` (``_classification_reasons``, ``_business_number_reasons``,
``_certificate_reasons``, ``_region_texts`` in ``catalog/feeds/nara.py``) get no mutant at all. Each mutant
here is one textual change of such a function, in the spirit of mutmut's operators (a condition inverted,
an argument swapped or dropped, a code or message changed). The runner copies the checkout's tracked files
into a scratch folder (``--workdir``, as ``bench/mutation.py``), applies one mutant at a time there, runs the
mutant's tests with ``-x`` and prints whether they failed (killed) or passed (survived). The checkout itself
is never modified. SQLite (``DATABASE_URL`` is cleared); the tests named need no database.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.mutation import prepare

NARA = "catalog/feeds/nara.py"
ROW_TESTS = ("tests/feeds/test_row_rules.py", "tests/feeds/test_pps_rules.py")


@dataclass(frozen=True)
class Mutant:
    name: str
    old: str  # found exactly once in the module
    new: str
    path: str = NARA
    tests: tuple[str, ...] = ROW_TESTS


MUTANTS: tuple[Mutant, ...] = (
    # _classification_reasons
    Mutant(
        "classification: construction's own number not checked",
        "if sector == Sector.CONSTRUCTION:\n            validate_classification_code(sector, clsfc_no)",
        "if sector != Sector.CONSTRUCTION:\n            validate_classification_code(sector, clsfc_no)",
    ),
    Mutant(
        "classification: the certificate's code checked twice instead of the row's number",
        "validate_classification_code(sector, clsfc_no)",
        "validate_classification_code(sector, code)",
    ),
    Mutant(
        "classification: a bad code's message dropped",
        'RejectCode.BAD_CODE, " ".join(exc.messages)',
        'RejectCode.BAD_CODE, ""',
    ),
    Mutant(
        "classification: a bad code reported as unknown",
        'Reason("prdctClsfcNo", RejectCode.BAD_CODE,',
        'Reason("prdctClsfcNo", RejectCode.UNKNOWN_CODE,',
    ),
    Mutant("classification: a named number reported unknown", "    if named:\n", "    if not named:\n"),
    Mutant(
        "classification: the unknown number's message names the certificate's code",
        'f"분류번호 {clsfc_no}가',
        'f"분류번호 {code}가',
    ),
    Mutant(
        "classification: the unknown number reported under another column",
        '"prdctClsfcNo",\n            RejectCode.UNKNOWN_CODE',
        '"prdctClsfcNoNm",\n            RejectCode.UNKNOWN_CODE',
    ),
    # _business_number_reasons
    Mutant(
        "business number: reported under the supplier's key whatever the key",
        "return (Reason(key, RejectCode.BAD_BIZNO,",
        'return (Reason("cntrctCorpBizno", RejectCode.BAD_BIZNO,',
    ),
    Mutant(
        "business number: the validator's message dropped",
        'RejectCode.BAD_BIZNO, " ".join(exc.messages)',
        'RejectCode.BAD_BIZNO, ""',
    ),
    Mutant(
        "business number: reported with another code",
        "Reason(key, RejectCode.BAD_BIZNO,",
        "Reason(key, RejectCode.BAD_CODE,",
    ),
    # _certificate_reasons
    Mutant(
        "certificate: its status not looked at",
        "Certificate(number=number, status=status, issued_on",
        "Certificate(number=number, issued_on",
    ),
    Mutant(
        "certificate: checked on its issue day instead of the export day",
        "certificate_valid_on(certificate, today)",
        "certificate_valid_on(certificate, issued_on)",
    ),
    Mutant(
        "certificate: a valid certificate reported",
        "if certificate_valid_on(certificate, today):",
        "if not certificate_valid_on(certificate, today):",
    ),
    Mutant(
        "certificate: the message's status and dates dropped",
        'f"(status {status}, valid {issued_on}–{expires_on})."',
        '"."',
    ),
    Mutant(
        "certificate: the message's dates swapped",
        "valid {issued_on}–{expires_on}",
        "valid {expires_on}–{issued_on}",
    ),
    Mutant(
        "certificate: reported under the product's number column",
        '"cert_no",\n            RejectCode.CERTIFICATE',
        '"prdctIdntNo",\n            RejectCode.CERTIFICATE',
    ),
    # _region_texts (the 1.0 row's region columns)
    Mutant(
        "regions: codes joined by a comma",
        "return REGION_SEPARATOR.join(codes), REGION_SEPARATOR.join(",
        'return ",".join(codes), REGION_SEPARATOR.join(',
    ),
    Mutant(
        "regions: names joined by a comma",
        "REGION_SEPARATOR.join(codes), REGION_SEPARATOR.join(",
        'REGION_SEPARATOR.join(codes), ",".join(',
    ),
    Mutant(
        "regions: an unknown code's name left out",
        "REGION_NAMES.get(code, code) for code in codes",
        'REGION_NAMES.get(code, "") for code in codes',
    ),
    Mutant(
        "regions: the names in sorted-name order instead of the codes' order",
        "[REGION_NAMES.get(code, code) for code in codes]",
        "sorted(REGION_NAMES.get(code, code) for code in codes)",
    ),
)


def tests_fail(workdir: Path, tests: tuple[str, ...]) -> bool:
    env = {**os.environ, "DATABASE_URL": "", "PYTHONPATH": str(workdir), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True).returncode != 0


def run(workdir: Path, mutant: Mutant) -> bool:
    """Whether the mutant's tests fail (killed) with the mutation applied in ``workdir``."""
    target = workdir / mutant.path
    original = target.read_text("utf-8")
    if original.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.name}: the text to mutate is not found exactly once in {mutant.path}")
    # no bytecode written: a mutant of the same size saved within the second of the last one must not be
    # read from the last one's cached bytecode
    target.write_text(original.replace(mutant.old, mutant.new), "utf-8")
    try:
        return tests_fail(workdir, mutant.tests)
    finally:
        target.write_text(original, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workdir", type=Path, default=Path("/var/tmp/sangsaeng-mutation/hand-mutants"))
    parser.add_argument("--only", default="", help="only the mutants whose name holds this text")
    args = parser.parse_args(argv)
    chosen = [mutant for mutant in MUTANTS if args.only in mutant.name]
    args.workdir.mkdir(parents=True, exist_ok=True)
    prepare(
        args.workdir, sorted({mutant.path for mutant in chosen}), sorted({t for m in chosen for t in m.tests})
    )
    # the clean run: a test that fails without any mutant would count every mutant as killed
    for tests in sorted({mutant.tests for mutant in chosen}):
        if tests_fail(args.workdir, tests):
            raise SystemExit(f"the tests fail without a mutant: {' '.join(tests)}")
    survivors = 0
    for mutant in chosen:
        killed = run(args.workdir, mutant)
        survivors += not killed
        print(f"{'killed  ' if killed else 'SURVIVED'} {mutant.name}", flush=True)
    print(f"{len(chosen) - survivors} / {len(chosen)} killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
