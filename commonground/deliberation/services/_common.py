from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ..rules import MAX_UPLOAD_BYTES, UPLOAD_TYPES


def check_upload(upload: UploadedFile | None, field: str, *, required: bool) -> None:
    """A scan or authorisation: an image or PDF of at most 10 MB."""
    if upload is None:
        if required:
            raise ValidationError({field: _("Attach a scan (image or PDF).")})
        return
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}})
    if (upload.content_type or "") not in UPLOAD_TYPES:
        raise ValidationError({field: _("Upload a JPEG, PNG or WebP image or a PDF.")})


def display_name(user) -> str:
    return str(user) if user else ""
