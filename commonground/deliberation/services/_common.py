from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from commonground.core.uploads import StoredUpload, validate_upload


def stored_upload(upload: UploadedFile | None, field: str, *, required: bool) -> StoredUpload | None:
    """A scan or authorisation through the one upload path (an image or a PDF); None when none was sent."""
    if upload is None:
        if required:
            raise ValidationError({field: _("Attach a scan (image or PDF).")})
        return None
    return validate_upload(upload, field=field)


def display_name(user) -> str:
    return str(user) if user else ""
