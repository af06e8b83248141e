"""docs/workflow.md, written from the workflow table so the document cannot drift from the code.

Regenerate with ``python manage.py workflow_doc``; a test fails when the file and the table disagree.
"""

from pathlib import Path

from django.conf import settings

from certification.workflow import Actor, Subject, Transition, transitions

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "workflow.md"

_INTRO = """# The certification workflow

<!-- Generated from certification/workflow.py by `python manage.py workflow_doc`; do not edit by hand. -->

The table in `certification/workflow.py` is the one home of these rules. The services refuse any
action the table does not allow for the record's current state (409 `conflict`, naming the states it
is allowed from), an actor it does not name (403) and a request without what it requires (400); the
API's transition routes, the admin actions, the buttons on the pages and this page are derived from it.
Admins may take every action of a human actor. Conditions beyond the state (a failed stage, the expiry
date, an open renewal) are checked when the action runs.
"""

_NOUNS = {Subject.APPLICATION: "Applications", Subject.CERTIFICATE: "Certificates"}
_ENTRY = {Subject.APPLICATION: ("draft", "create"), Subject.CERTIFICATE: ("active", "approve (issue)")}


def _who(transition: Transition) -> str:
    names = [actor.value for actor in transition.actors]
    return ", ".join(names + ([] if Actor.SYSTEM in transition.actors else ["admin"]))


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


def render() -> str:
    parts = [_INTRO]
    for subject in Subject:
        parts.append(
            "\n".join([f"## {_NOUNS[subject]}", "", *_diagram(subject), "", *_table(subject)]) + "\n"
        )
    return "\n".join(parts)
