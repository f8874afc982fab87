"""Files to upload in tests: real images (one with a GPS position in its EXIF), a PDF, HTML dressed up as a
photo, and a decompression bomb."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
       b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 20), mode: str = "RGB", **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode != "1" else 1).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: maker, orientation and where the photo was taken (浙工新村)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (30.0, 16.0, 48.3),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (120.0, 9.0, 36.1),
    })
    return exif


def photo_with_gps(fmt: str = "JPEG", orientation: int = 1) -> bytes:
    """A 40×20 photo carrying a GPS position (and `orientation`) in its EXIF."""
    return image_bytes(fmt, exif=gps_exif(orientation))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int) -> bytes:
    """A real 1-bit PNG of side×side white pixels: a few kB on disk, side² pixels once decoded."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))


def upload(content: bytes, name: str = "photo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def html_as_png(name: str = "agreement.html") -> SimpleUploadedFile:
    """The attack of issue 8: an HTML page sent with the type of a photo."""
    return upload(HTML, name=name, content_type="image/png")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return upload(image_bytes("PNG"), name=name)


def pdf(name: str = "agreement.pdf") -> SimpleUploadedFile:
    return upload(PDF, name=name, content_type="application/pdf")
