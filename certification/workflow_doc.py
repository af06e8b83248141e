"""docs/workflow.md, written from the workflow table so the document cannot drift from the code.

Regenerate with ``python manage.py workflow_doc``; a test fails when the file and the table disagree.
"""

from pathlib import Path

from django.conf import settings

from certification.partners import AGREED_FIELDS, ConfirmationStatus
from certification.workflow import Actor, Subject, Transition, transitions

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "workflow.md"

_INTRO = """# The certification workflow

<!-- Generated from certification/workflow.py by `python manage.py workflow_doc`; do not edit by hand. -->

The table in `certification/workflow.py` is the one home of these rules. The services refuse any
action the table does not allow for the record's current state (409 `conflict`, naming the states it
is allowed from), an actor it does not name (403) and a request without what it requires (400); the
API's transition routes, the admin actions, the buttons on the pages and this page are derived from it.
Admins may take every action of a human actor but the partner's answers, whose consent is the partner
company's own. Conditions beyond the state (a failed stage, the expiry
date, an open renewal) are checked when the action runs.
"""

_NOUNS = {Subject.APPLICATION: "Applications", Subject.CERTIFICATE: "Certificates"}
_ENTRY = {Subject.APPLICATION: ("draft", "create"), Subject.CERTIFICATE: ("active", "approve (issue)")}


def _who(transition: Transition) -> str:
    names = [actor.value for actor in transition.actors]
    no_admin = Actor.SYSTEM in transition.actors or Actor.PARTNER in transition.actors
    return ", ".join(names + ([] if no_admin else ["admin"]))


def _next(transition: Transition) -> str:
    if transition.target is None:
        unchanged = "(unchanged)"
        return f"{unchanged}; opens a draft {transition.opens.value}" if transition.opens else unchanged
    return f"`{transition.target}`"


def _diagram(subject: Subject) -> list[str]:
    entry_state, entry_action = _ENTRY[subject]
    lines = ["```mermaid", "stateDiagram-v2", f"    [*] --> {entry_state}: {entry_action}"]
    for transition in transitions(subject):
        for source in transition.sources:
            lines.append(f"    {source} --> {transition.target or source}: {transition.name}")
    return [*lines, "```"]


def _table(subject: Subject) -> list[str]:
    lines = [
        "| from state | action | label | next state | who | requires |",
        "|---|---|---|---|---|---|",
    ]
    for t in transitions(subject):
        sources = ", ".join(f"`{state}`" for state in t.sources)
        requires = ", ".join(requirement.value for requirement in t.requires) or "—"
        label = f"{t.label_ko} ({t.label_en})"
        lines.append(f"| {sources} | `{t.name}` | {label} | {_next(t)} | {_who(t)} | {requires} |")
    return lines


_PARTNER = """## The partner's confirmation

An application cannot be submitted until its partner enterprise (협력기업) has confirmed that it takes part
(`partner_not_confirmed`, 409). The applicant asks while drafting (`request_partner_confirmation`, with a
contact e-mail when the partner company has no users yet: the signal
`certification.signals.partner_invitation_needed(application, email)` is sent after the commit so that
address is invited); a member of the partner company (a user whose membership is in that company,
whatever the role) confirms or declines with a reason, which the applicant reads. Each request is a row
of `certification.partners.PartnerConfirmation`:

{states}

At most one request is open (`requested` or `confirmed`) at a time: asking again over an open request is
`partner_confirmation_pending`, over a confirmation `partner_already_confirmed`; answering when nothing
is asked is `no_partner_request`, confirming twice `partner_already_confirmed`, declining without a reason
a 400 on `reason`. After a decline the applicant may ask again (having changed what the partner objected
to, or the partner). The partner agrees to these fields, copied onto the request: {fields}. Editing any of
them (or the partner) voids the open request or confirmation (`void_partner_confirmation`, audited as
`partner_confirmation_invalidated`); the partner must be asked again. A supplement request keeps the
confirmation unless those fields change. A renewal is a new agreement: the partner confirms it again.

The audit trail names the partner's steps `partner_confirmation_requested`, `partner_confirmed` and
`partner_declined`.
"""


def _partner_section() -> str:
    states = "\n".join(f"- `{value}`: {label}" for value, label in ConfirmationStatus.choices)
    fields = ", ".join(f"`{name}`" for name in AGREED_FIELDS)
    return _PARTNER.format(states=states, fields=fields)


def render() -> str:
    parts = [_INTRO]
    for subject in Subject:
        parts.append(
            "\n".join([f"## {_NOUNS[subject]}", "", *_diagram(subject), "", *_table(subject)]) + "\n"
        )
    parts.append(_partner_section())
    return "\n".join(parts)
