"""Photo intake: content check, no metadata, upright, bombs refused (no database needed)."""

import io

import pytest
from PIL import ExifTags, Image

from reports.exceptions import PhotoInvalidError, PhotoTooLargeError
from reports.photos import MAX_SIDE, photo_clean
from tests.reports.images import (
    BLUE,
    RED,
    image_bytes,
    jpeg_with_exif_and_gps,
    png_claiming,
    png_rgba_half_transparent,
)

LIMIT = 8 * 1024 * 1024


def _open(content: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(content))
    img.load()
    return img


def _close_to(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_photo_clean_drops_exif_and_gps_when_jpeg_carries_them():
    # given: the source really carries EXIF and GPS
    source = jpeg_with_exif_and_gps()
    assert _open(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    # when
    clean = photo_clean(source, max_bytes=LIMIT)
    # then
    img = _open(clean.content)
    assert img.format == "JPEG"
    assert len(img.getexif()) == 0
    assert img.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "exif" not in img.info
    assert "icc_profile" not in img.info
    assert b"Testcam" not in clean.content
    assert b"Exif" not in clean.content


def test_photo_clean_turns_image_upright_when_exif_orientation_says_rotate():
    # given: stored 40 × 20 with red left and blue right, orientation 6 (90° clockwise)
    # when
    clean = photo_clean(jpeg_with_exif_and_gps(), max_bytes=LIMIT)
    # then: displayed 20 × 40 with red on top and blue below
    img = _open(clean.content).convert("RGB")
    assert (clean.width, clean.height) == (20, 40) == img.size
    assert _close_to(img.getpixel((10, 5)), RED)
    assert _close_to(img.getpixel((10, 34)), BLUE)


def test_photo_clean_flattens_transparency_onto_white_when_png_has_alpha():
    clean = photo_clean(png_rgba_half_transparent(), max_bytes=LIMIT)
    img = _open(clean.content).convert("RGB")
    assert img.mode == "RGB"
    assert _close_to(img.getpixel((3, 10)), RED)
    assert _close_to(img.getpixel((16, 10)), (255, 255, 255))


@pytest.mark.parametrize(
    ("fmt", "mode", "colour"),
    [("PNG", "RGB", RED), ("PNG", "L", 128), ("PNG", "P", 3), ("WEBP", "RGB", BLUE)],
)
def test_photo_clean_reencodes_as_jpeg_when_format_is_allowed(fmt, mode, colour):
    clean = photo_clean(image_bytes(fmt, mode=mode, colour=colour), max_bytes=LIMIT)
    assert _open(clean.content).format == "JPEG"
    assert (clean.width, clean.height) == (40, 20)


def test_photo_clean_accepts_webp_with_alpha():
    clean = photo_clean(image_bytes("WEBP", mode="RGBA", colour=(0, 0, 255, 255)), max_bytes=LIMIT)
    assert _close_to(_open(clean.content).convert("RGB").getpixel((5, 5)), BLUE)


def test_photo_clean_shrinks_to_max_side_when_image_is_large():
    clean = photo_clean(image_bytes("PNG", size=(4096, 1024)), max_bytes=LIMIT)
    assert (clean.width, clean.height) == (MAX_SIDE, 512)


@pytest.mark.parametrize(
    "data",
    [
        b"dit is geen foto, alleen tekst",
        b"",
        image_bytes("JPEG")[:100],  # truncated
        b"GIF89a" + b"\x00" * 40,
    ],
    ids=["text", "empty", "truncated_jpeg", "gif_header"],
)
def test_photo_clean_refuses_when_bytes_are_not_an_image(data):
    with pytest.raises(PhotoInvalidError):
        photo_clean(data, max_bytes=LIMIT)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_photo_clean_refuses_with_format_when_format_is_not_allowed(fmt):
    with pytest.raises(PhotoInvalidError) as exc_info:
        photo_clean(image_bytes(fmt), max_bytes=LIMIT)
    assert exc_info.value.extra == {"format": fmt}


def test_photo_clean_refuses_when_bytes_exceed_limit():
    data = image_bytes("PNG")
    with pytest.raises(PhotoTooLargeError) as exc_info:
        photo_clean(data, max_bytes=len(data) - 1)
    assert exc_info.value.extra == {"max_bytes": len(data) - 1, "size": len(data)}


def test_photo_clean_refuses_decompression_bomb_when_small_file_claims_huge_size():
    # given: a few hundred bytes claiming 20 000 × 10 000 pixels (200 megapixels)
    bomb = png_claiming(20_000, 10_000, with_data=False)
    assert len(bomb) < 1000
    # when / then
    with pytest.raises(PhotoTooLargeError):
        photo_clean(bomb, max_bytes=LIMIT)


def test_photo_clean_refuses_when_valid_image_has_more_pixels_than_allowed():
    # given: a valid, tiny PNG of 8 000 × 6 000 pixels (48 megapixels > 40)
    big = png_claiming(8_000, 6_000, with_data=True)
    assert len(big) < 100_000
    # when
    with pytest.raises(PhotoTooLargeError) as exc_info:
        photo_clean(big, max_bytes=LIMIT)
    # then
    assert exc_info.value.extra["pixels"] == 48_000_000
