"""Sent inside the writing transaction so search can enqueue index work atomically with the change."""

from django.dispatch import Signal

# sent with listing_ids=<list[int]> whenever listings are created, edited, (un)published, moved or deleted
listings_changed = Signal()
