"""Where annexes are kept: Django's storage API, the ``attachments`` entry of ``STORAGES``.

By default a directory of this machine, ``MEDIA_ROOT/attachments`` (followed when MEDIA_ROOT
changes, as the default storage does); any other backend (django-storages' S3 for several web
hosts) is a settings change. Files are read back only through the API, which checks who may see
them: nothing serves this directory, and it has no URL.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property

STORAGE_ALIAS = "attachments"


class AttachmentStorage(FileSystemStorage):
    """``MEDIA_ROOT/attachments`` unless given a ``location``; files readable by the service
    user only; no URL."""

    def __init__(self, location=None, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(location=location, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(
            self._location, os.path.join(settings.MEDIA_ROOT, STORAGE_ALIAS)
        )

    def url(self, name):
        raise ValueError("Annexes have no URL: they are downloaded through the API.")


def attachment_storage() -> Storage:
    return storages[STORAGE_ALIAS]
