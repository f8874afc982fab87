"""The one upload path: the type comes from the content, images are drawn again without their metadata,
and files go out with the stored type, nosniff, a sandbox and inline only when image or PDF."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from PIL import Image

from commonground.core import uploads
from commonground.core.uploads import served_type, upload_response, validate_upload
from tests.files import HTML, PDF, bomb_png, gps_exif, html_as_png, image_bytes, photo_with_gps, upload

WRONG_TYPE = "This file is not one of the types accepted here (JPEG, PNG, WebP, PDF)."


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def refusal(content: bytes, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(content), field="photo", **kwargs)
    return refused.value.message_dict


def content_of(stored: uploads.StoredUpload) -> bytes:
    stored.file.seek(0)
    return stored.file.read()


def opened(stored: uploads.StoredUpload) -> Image.Image:
    return Image.open(io.BytesIO(content_of(stored)))


# --- what is accepted, as what --------------------------------------------------------------------------------

def test_validate_upload__html_declared_png__refused_by_field():
    with pytest.raises(ValidationError) as refused:
        validate_upload(html_as_png(), field="signed_agreement")
    assert refused.value.message_dict == {"signed_agreement": [WRONG_TYPE]}


@pytest.mark.parametrize("content", [b"GIF89a" + b"\x00" * 20, b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                     b"MZ\x90\x00", b"PK\x03\x04", b" %PDF-1.4"])
def test_validate_upload__other_types_whatever_declared__refused(content):
    assert refusal(content) == {"photo": [WRONG_TYPE]}


def test_validate_upload__empty_file__refused():
    assert refusal(b"") == {"photo": ["The file is empty."]}


@pytest.mark.parametrize(("fmt", "kind", "extension"), [
    ("JPEG", "image/jpeg", ".jpg"), ("PNG", "image/png", ".png"), ("WEBP", "image/webp", ".webp")])
def test_validate_upload__photo_with_gps__reencoded_without_exif(fmt, kind, extension):
    source = photo_with_gps(fmt)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # the GPS position is there to start with

    stored = validate_upload(upload(source, name="IMG_0001.html", content_type="text/html"), field="photo")

    image = opened(stored)
    assert (stored.content_type, image.format, image.size) == (kind, fmt, (40, 20))
    assert (dict(image.getexif()), "exif" in image.info, "xmp" in image.info) == ({}, False, False)
    assert b"PhoneMaker" not in content_of(stored) and stored.size == len(content_of(stored))
    assert stored.file.name.endswith(extension) and "IMG_0001" not in stored.file.name


def test_validate_upload__exif_orientation__applied_before_it_is_dropped():
    stored = validate_upload(upload(photo_with_gps("JPEG", orientation=6), content_type="image/jpeg"),
                             field="photo")
    assert opened(stored).size == (20, 40)  # turned upright, as the phone showed it


def test_validate_upload__png_metadata_and_trailing_bytes__dropped():
    buffer = io.BytesIO()
    image = Image.new("P", (8, 8), 0)
    image.info["transparency"] = 0
    image.save(buffer, format="PNG", exif=gps_exif(), icc_profile=b"\x00" * 128, transparency=0)
    source = buffer.getvalue() + HTML  # a page hidden after the image's end

    stored = validate_upload(upload(source), field="photo")

    content = content_of(stored)
    assert (opened(stored).mode, HTML in content, b"iCCP" in content, b"eXIf" in content) == (
        "RGBA", False, False, False)


def test_validate_upload__cmyk_jpeg__stored_as_rgb_jpeg():
    stored = validate_upload(upload(image_bytes("JPEG", mode="CMYK")), field="photo")
    assert (stored.content_type, opened(stored).mode) == ("image/jpeg", "RGB")


def test_validate_upload__pdf__stored_as_sent_under_a_random_name():
    first = validate_upload(upload(PDF, name="协议.pdf", content_type="application/octet-stream"), field="f")
    second = validate_upload(upload(PDF, name="协议.pdf"), field="f")
    assert (first.content_type, content_of(first), first.size) == ("application/pdf", PDF, len(PDF))
    assert first.file.name.endswith(".pdf") and first.file.name != second.file.name


def test_validate_upload__kinds_without_pdf__pdf_refused():
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(PDF), field="photo", kinds=uploads.IMAGES)
    assert refused.value.message_dict == {
        "photo": ["This file is not one of the types accepted here (JPEG, PNG, WebP)."]}


# --- what is too much or broken -------------------------------------------------------------------------------

def test_validate_upload__over_the_limit__refused_at_the_limit_accepted(settings):
    settings.CG_MAX_UPLOAD_BYTES = 2048
    pdf_of = lambda size: PDF + b"%" * (size - len(PDF))  # noqa: E731
    assert refusal(pdf_of(2049)) == {"photo": ["The file is larger than 2.0\xa0KB."]}
    assert validate_upload(upload(pdf_of(2048)), field="photo").size == 2048


def test_validate_upload__size_smaller_than_content__still_refused(settings):
    settings.CG_MAX_UPLOAD_BYTES = 2048
    lying = upload(PDF + b"%" * 4096)
    lying.size = 10
    with pytest.raises(ValidationError) as refused:
        validate_upload(lying, field="photo")
    assert refused.value.message_dict == {"photo": ["The file is larger than 2.0\xa0KB."]}


@pytest.mark.parametrize("side", [10_000, 20_000])  # over MAX_IMAGE_PIXELS (a warning), over twice (an error)
def test_validate_upload__decompression_bomb__refused(side):
    bomb = bomb_png(side)
    assert len(bomb) < 100_000 and side * side > Image.MAX_IMAGE_PIXELS
    assert refusal(bomb) == {"photo": ["The image has too many pixels; send a smaller photo."]}


@pytest.mark.parametrize("content", [image_bytes("JPEG")[:60], image_bytes("PNG")[:-20],
                                     b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"RIFF\x00\x00\x00\x00WEBPVP8 "])
def test_validate_upload__damaged_image__refused(content):
    assert refusal(content) == {"photo": ["The image cannot be read; it may be damaged."]}


# --- serving ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("stored", "content", "served"), [
    ("image/png", image_bytes("PNG"), "image/png"),
    ("application/pdf", PDF, "application/pdf"),
    ("", image_bytes("JPEG"), "image/jpeg"),  # a row from before types were stored
    ("", HTML, "application/octet-stream"),
    ("image/png", HTML, "application/octet-stream"),  # the browser's claim, stored before this check
    ("image/png", image_bytes("JPEG"), "application/octet-stream"),
])
def test_served_type__stored_type_and_content__type_sent(stored, content, served):
    assert served_type(stored, content[:16]) == served


def stored_file(content: bytes, name: str) -> FieldFile:
    return FieldFile(None, models.FileField(), default_storage.save(name, ContentFile(content)))


def test_upload_response__image__inline_stored_type_nosniff_sandbox():
    response = upload_response(stored_file(image_bytes("PNG"), "x/a.png"), content_type="image/png",
                               name="SX1-7")
    assert (response["Content-Type"], response["Content-Disposition"], response["X-Content-Type-Options"],
            response["Content-Security-Policy"]) == (
        "image/png", 'inline; filename="SX1-7.png"', "nosniff", "default-src 'none'; style-src 'unsafe-inline'; sandbox")


def test_upload_response__pdf__inline_without_sandbox():
    response = upload_response(stored_file(PDF, "x/a.pdf"), content_type="application/pdf", name="SX1-agreement")
    assert (response["Content-Type"], response["Content-Disposition"], response["X-Content-Type-Options"],
            response.has_header("Content-Security-Policy")) == (
        "application/pdf", 'inline; filename="SX1-agreement.pdf"', "nosniff", False)


def test_upload_response__legacy_html__octet_stream_attachment():
    response = upload_response(stored_file(HTML, "x/agreement.html"), content_type="", name="SX1-agreement")
    assert (response["Content-Type"], response["Content-Disposition"], response["X-Content-Type-Options"]) == (
        "application/octet-stream", 'attachment; filename="SX1-agreement.bin"', "nosniff")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == HTML
