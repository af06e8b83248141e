"""Signals that let the catalog and search follow the registry without the registry importing them.

Receivers run synchronously inside the sender's transaction, so whatever they write commits or rolls
back together with the registry change (except ``partner_invitation_needed``, sent after the commit).
"""

from django.dispatch import Signal

# sent with certificate=<Certificate> after a status change (suspend, reinstate, revoke, expire, supersede)
certificate_changed = Signal()
# sent with certificate=<Certificate> right after approval issues it (renewals carry renewed_from)
certificate_issued = Signal()
# sent with company=<Company> when a company's names change
company_changed = Signal()
# sent with application=<CertificationApplication>, email=<str> AFTER the commit of a request for the
# partner's confirmation when the partner company has no members yet: the address is to be invited to the
# partner company (the accounts app's invitation service listens; the registry sends no e-mail itself)
partner_invitation_needed = Signal()
