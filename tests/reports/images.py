"""Image bytes for the photo tests, built with Pillow (nothing binary is committed)."""

import io
import struct
import zlib

from PIL import ExifTags, Image

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def image_bytes(fmt: str = "JPEG", *, size=(40, 20), mode="RGB", colour=RED, **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_exif_and_gps() -> bytes:
    """40 × 20: left half red, right half blue, with EXIF orientation 6 ("rotate 90° clockwise
    to display"), a camera make and a GPSInfo IFD with a position in Leiden."""
    img = Image.new("RGB", (40, 20), RED)
    img.paste(Image.new("RGB", (20, 20), BLUE), (20, 0))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Testcam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 9.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 29.0, 10.0),
    }
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def png_rgba_half_transparent() -> bytes:
    """20 × 20 PNG: left half opaque red, right half fully transparent (black underneath)."""
    img = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    img.paste(Image.new("RGBA", (10, 20), (*RED, 255)), (0, 0))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def noisy_jpeg(side: int = 200) -> bytes:
    """A JPEG that does not compress well (random-looking pixels), for size limits."""
    raw = bytes((i * 7919 + (i >> 3) * 104729) % 251 for i in range(side * side * 3))
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), raw).save(out, format="JPEG", quality=95)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming(width: int, height: int, *, with_data: bool) -> bytes:
    """A 1-bit greyscale PNG of the given size that is only a few kilobytes: the classic
    decompression bomb. With `with_data` the (all-black) pixel data is valid; without it
    the file is only a header claiming the size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    body = b""
    if with_data:
        row = b"\x00" * (1 + (width + 7) // 8)
        compressor = zlib.compressobj(9)
        data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
        body = _chunk(b"IDAT", data)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + body + _chunk(b"IEND", b"")
