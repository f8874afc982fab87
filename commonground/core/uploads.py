"""The one upload path: every file a person uploads is checked, stored and served here.

The type is decided from the content, never from the name or the type the browser declares: an
`agreement.html` declared `image/png` is refused. Images are decoded and encoded again in their own
format, which drops EXIF (a phone photo's GPS position) and anything hidden after the pixels; the
stored name is random. Files are served with the stored type, `nosniff`, a sandboxing CSP, and as an
attachment unless they are an image or a PDF.
"""

from __future__ import annotations

import io
import secrets
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
OCTET_STREAM = "application/octet-stream"
IMAGES = frozenset({JPEG, PNG, WEBP})
DOCUMENTS = IMAGES | {PDF}  # photos and scans: what the apps accept as documents

EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf", OCTET_STREAM: ".bin"}
LABELS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", PDF: "PDF"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
SAVE_OPTIONS = {JPEG: {"format": "JPEG", "quality": 90, "optimize": True},
                PNG: {"format": "PNG", "optimize": True}, WEBP: {"format": "WEBP", "quality": 90}}
KEEP_MODES = {JPEG: ("L", "RGB"), PNG: ("1", "L", "LA", "I;16", "RGB", "RGBA"), WEBP: ("RGB", "RGBA")}

# A sandboxed document runs no script and has no origin. Chrome's PDF viewer refuses to start in a
# sandboxed document, so PDFs (which run no page script) are served without it.
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@dataclass(frozen=True)
class StoredUpload:
    """What a service stores: the (re-encoded) content under a random name, its type and size."""

    file: ContentFile
    content_type: str
    size: int


def signature_type(head: bytes) -> str | None:
    """The type the first bytes of a file show (JPEG, PNG, WebP or PDF), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def max_upload_bytes() -> int:
    return int(settings.CG_MAX_UPLOAD_BYTES)


def validate_upload(upload: File, *, field: str, kinds: Iterable[str] = DOCUMENTS) -> StoredUpload:
    """Check one uploaded file and return what to store, or raise ValidationError({field: …}).

    The size is bounded by `CG_MAX_UPLOAD_BYTES`; the type is read from the content and must be one of
    `kinds`; images must decode (within Pillow's pixel limit) and are re-encoded without metadata.
    """
    kinds = frozenset(kinds)
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({field: too_big(limit)})
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError({field: too_big(limit)})
    if not data:
        raise ValidationError({field: _("The file is empty.")})
    kind = signature_type(data[:16])
    if kind not in kinds:
        raise ValidationError({field: wrong_type(kinds)})
    content = reencoded(data, kind, field=field) if kind in IMAGES else data
    return StoredUpload(file=ContentFile(content, name=secrets.token_hex(16) + EXTENSIONS[kind]),
                        content_type=kind, size=len(content))


def too_big(limit: int) -> str:
    return _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}


def wrong_type(kinds: frozenset[str]) -> str:
    names = ", ".join(LABELS[kind] for kind in LABELS if kind in kinds)
    return _("This file is not one of the types accepted here (%(types)s).") % {"types": names}


def reencoded(data: bytes, kind: str, *, field: str) -> bytes:
    """The image drawn again in its own format, upright, with no EXIF, XMP, ICC profile or comment."""
    formats = [PILLOW_FORMATS[kind]]
    out = io.BytesIO()
    try:
        with warnings.catch_warnings():
            # Over MAX_IMAGE_PIXELS Pillow only warns (over twice that it raises): refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=formats) as image:
                image.verify()
            with Image.open(io.BytesIO(data), formats=formats) as image:
                ImageOps.exif_transpose(image, in_place=True)
                clean = _saveable(image, kind)
                clean.info = {}  # the PNG and JPEG writers copy some of these (ICC profile, comment)
                clean.save(out, **SAVE_OPTIONS[kind])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({field: _("The image has too many pixels; send a smaller photo.")}) from None
    except Exception:  # a damaged file can make a decoder raise almost anything
        raise ValidationError({field: _("The image cannot be read; it may be damaged.")}) from None
    return out.getvalue()


def _saveable(image: Image.Image, kind: str) -> Image.Image:
    if image.mode in KEEP_MODES[kind]:
        return image
    return image.convert("RGBA" if kind != JPEG and image.has_transparency_data else "RGB")


def served_type(stored: str, head: bytes) -> str:
    """The type to serve a stored file with: the stored one when the content agrees. A row stored before
    types were decided from the content has none (or the browser's claim): then the content decides, and
    what is not an accepted type goes out as bytes to download."""
    found = signature_type(head)
    if found is None or (stored and stored != found):
        return OCTET_STREAM
    return found


def upload_response(stored: FieldFile, *, content_type: str, name: str) -> FileResponse:
    """Serve an uploaded file: its type, `nosniff`, inline only for images and PDF (as `name` + extension,
    else an attachment), and a sandboxing CSP so that no file can run script on this site."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restore without the media folder)
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    kind = served_type(content_type, head)
    inline = kind in DOCUMENTS
    response = FileResponse(handle, content_type=kind, as_attachment=not inline,
                            filename=f"{name}{EXTENSIONS[kind]}")
    response["X-Content-Type-Options"] = "nosniff"
    if kind != PDF:
        response["Content-Security-Policy"] = SANDBOX
    return response
