from django.core.management.base import BaseCommand

from catalog.stored_images import reencode_stored_images


class Command(BaseCommand):
    help = (
        "Re-encodes listing images stored before the image intake into the public storage; drops those "
        "the intake refuses or whose file is missing (idempotent)."
    )

    def handle(self, *args, **options):
        counts = reencode_stored_images(log=self.stderr.write)
        for key in ("kept", "reencoded", "refused", "missing"):
            self.stdout.write(f"{key}: {counts[key]}")
