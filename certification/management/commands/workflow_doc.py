"""Regenerates docs/workflow.md from the workflow table; run it after changing certification/workflow.py."""

from django.core.management.base import BaseCommand

from certification.workflow_doc import DOC_PATH, render


class Command(BaseCommand):
    help = "Writes docs/workflow.md (state diagrams and the table of actions) from certification/workflow.py."

    def handle(self, *args, **options) -> None:
        DOC_PATH.write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {DOC_PATH}")
