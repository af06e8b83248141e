"""Where listing images live: the ``public_media`` storage alias, apart from the private ``default`` storage
that keeps evidence documents and export files.

Listing images are the only files anyone may read without an account, so they sit under their own
location (by default ``MEDIA_ROOT/public``; in production any Django storage, e.g. django-storages' S3
backend with its own bucket or prefix: ``docs/operations.md``). Nothing serves either location directly:
images go out through ``/products/<pk>/image/`` with their own headers, evidence through permission-checked
downloads only.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, cached_property, empty

PUBLIC_MEDIA = "public_media"


class PublicFileSystemStorage(FileSystemStorage):
    """The development and test storage: ``MEDIA_ROOT/public`` unless a ``location`` is given, read when
    first needed so a test's own ``MEDIA_ROOT`` applies (the storage forgets it when MEDIA_ROOT changes)."""

    @cached_property
    def base_location(self) -> str:
        return str(self._location or Path(settings.MEDIA_ROOT) / "public")


class _PublicMedia(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages[PUBLIC_MEDIA]


public_media_storage = _PublicMedia()


def public_media() -> _PublicMedia:
    """The listing image field's storage (a callable, so migrations name it instead of freezing a path)."""
    return public_media_storage


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    # Django forgets its storages when STORAGES changes (tests); the field's storage follows it
    if setting == "STORAGES":
        public_media_storage._wrapped = empty
