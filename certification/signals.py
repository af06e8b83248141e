"""Signals that let the catalog and search follow the registry without the registry importing them.

Receivers run synchronously inside the sender's transaction, so whatever they write commits or rolls
back together with the registry change.
"""

from django.dispatch import Signal

# sent with certificate=<Certificate> after a status change (suspend, reinstate, revoke, expire, supersede)
certificate_changed = Signal()
# sent with certificate=<Certificate> right after approval issues it (renewals carry renewed_from)
certificate_issued = Signal()
# sent with company=<Company> when a company's names change
company_changed = Signal()
