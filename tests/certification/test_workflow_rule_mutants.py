"""Tests that kill mutants of ``certification/workflow.py`` the table's other tests let live
(``bench/mutation.py certification/workflow.py``; docs/operations.md "Mutation testing of the rules")."""

from certification import workflow
from certification.models import ApplicationStatus, Certificate, CertificateStatus, CertificationApplication


def test_allows_answers_from_the_records_state_alone():
    # mutant: `record.status in sources` → `not in`; the services' expiry and suspension sweeps rely on it
    draft = CertificationApplication(status=ApplicationStatus.DRAFT)
    assert workflow.allows(draft, "edit")
    assert workflow.allows(draft, "submit")
    assert not workflow.allows(draft, "approve")
    assert not workflow.allows(CertificationApplication(status=ApplicationStatus.APPROVED), "edit")
    active = Certificate(status=CertificateStatus.ACTIVE)
    suspended = Certificate(status=CertificateStatus.SUSPENDED)
    assert workflow.allows(suspended, "lift_suspension")
    assert not workflow.allows(active, "lift_suspension")
    assert workflow.allows(active, "expire")
    assert not workflow.allows(Certificate(status=CertificateStatus.EXPIRED), "expire")
