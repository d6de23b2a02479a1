"""Checking and storing drawings and photos.

A file is accepted only if Pillow opens it as a real PNG or JPEG (whatever its name or the type
the browser claims), it passes Pillow's integrity check, and it is within the size and pixel
limits. It is then re-encoded, which drops its metadata (EXIF, including where a photo was
taken), and stored under a random name."""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from voices.storage import upload_storage

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SIDE = 6000
MAX_PIXELS = 30_000_000
FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg")}

NOT_A_PICTURE = (
    "This file is not a picture we can use. Choose a photo or scanned drawing saved as a PNG "
    "or JPEG file."
)
TOO_BIG = "This file is too big. A picture can be up to 8 MB: try a smaller photo or scan."
TOO_MANY_PIXELS = (
    f"This picture is too large. It can be up to {MAX_SIDE} by {MAX_SIDE} pixels: "
    "try a smaller photo or scan."
)


@dataclass
class CleanPicture:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_picture(upload) -> CleanPicture:
    """Check an uploaded file really is a PNG or JPEG within the limits, and re-encode it."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_BIG, code="too_big")
    if upload.size == 0:
        raise ValidationError(NOT_A_PICTURE, code="not_a_picture")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_BIG, code="too_big")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in FORMATS:
                    raise ValidationError(NOT_A_PICTURE, code="not_a_picture")
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                return _reencode(image, image_format)
        except ValidationError:
            raise
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            SyntaxError,
            ValueError,
        ) as error:
            raise ValidationError(NOT_A_PICTURE, code="not_a_picture") from error


def _reencode(image: Image.Image, image_format: str) -> CleanPicture:
    content_type, extension = FORMATS[image_format]
    image.info.clear()  # nothing of the original's metadata is written back
    out = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        # A fresh save writes no EXIF, ICC or comment unless they are passed in.
        image.save(out, format="JPEG", quality=88, optimize=True)
    else:
        if image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return CleanPicture(out.getvalue(), content_type, extension, image.width, image.height)


def store_picture(picture: CleanPicture, *, agency_id: int) -> str:
    """Save under a random, unguessable name; returns the stored name."""
    name = f"{agency_id}/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}.{picture.extension}"
    return upload_storage().save(name, ContentFile(picture.content))
