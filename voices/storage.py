"""Where uploaded drawings and photos are kept: a folder outside any public URL.

The files are served only through the permission-checked views in `voices.views`, which audit
each serve. Read the location on every use, so tests (and settings changes) take effect."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def upload_root() -> Path:
    return Path(settings.THREEFOLD_UPLOAD_ROOT)


def upload_storage() -> FileSystemStorage:
    return FileSystemStorage(
        location=upload_root(),
        base_url=None,
        file_permissions_mode=0o640,
        directory_permissions_mode=0o750,
    )
