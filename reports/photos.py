"""Photo intake: content check and re-encoding without metadata (no ORM).

Every upload is decoded with Pillow (the declared type and extension are ignored), checked
against the allowed formats and a pixel limit, rotated upright from its EXIF orientation and
re-encoded as a fresh JPEG, so EXIF, GPS, XMP and ICC metadata never reach storage.
Transparent areas (PNG, WebP) are flattened onto white.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from reports.exceptions import PhotoInvalidError, PhotoTooLargeError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # decompression-bomb guard (≈ 8000 × 5000)
MAX_SIDE = 2048
JPEG_QUALITY = 85
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def _flatten(img: Image.Image) -> Image.Image:
    """RGB without alpha: transparent pixels become white instead of whatever colour the
    encoder left under them."""
    if img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA"):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")


def photo_clean(data: bytes, *, max_bytes: int) -> CleanPhoto:
    if len(data) > max_bytes:
        raise PhotoTooLargeError(
            PhotoTooLargeError.default_message, extra={"max_bytes": max_bytes, "size": len(data)}
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
    # Pillow raises above twice its pixel limit and only warns between the limit and twice
    # it (an error where warnings are errors); MAX_PIXELS below is stricter than both.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoTooLargeError(extra={"reason": "pixels"}) from exc
    except _DECODE_ERRORS as exc:
        raise PhotoInvalidError() from exc
    if fmt not in ALLOWED_FORMATS:
        raise PhotoInvalidError(extra={"format": fmt})
    if width * height > MAX_PIXELS:
        raise PhotoTooLargeError(extra={"reason": "pixels", "pixels": width * height})
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
            rgb = _flatten(upright)
    except _DECODE_ERRORS as exc:
        raise PhotoInvalidError() from exc
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # A new image object carries no info dict: no EXIF, GPS, XMP or ICC profile is written.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(content=out.getvalue(), width=clean.width, height=clean.height)
