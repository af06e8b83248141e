"""What the feed tells other apps without importing them (notifications listens)."""

from django.dispatch import Signal

# sent with job=<ExportJob> once a job has ended: succeeded, failed or cancelled (by its worker or the sweep)
export_finished = Signal()
