"""Pictures for the image tests, good and hostile, built in memory (no binary fixtures to trust)."""

import io
import struct
import zlib

from PIL import ExifTags, Image

HTML = (
    b'<html><head><meta http-equiv="refresh" content="0;url=https://evil.example/"></head>'
    b"<body><script>alert(document.domain)</script></body></html>"
)
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
    b'<script>alert(document.cookie)</script><rect width="8" height="8"/></svg>'
)
GPS_LATITUDE = (37.0, 33.0, 59.0)  # Seoul City Hall, degrees / minutes / seconds


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def png(size=(8, 8), color="red", mode="RGB") -> bytes:
    return encode(Image.new(mode, size, color), "PNG")


def jpeg(size=(8, 8), color="red") -> bytes:
    return encode(Image.new("RGB", size, color), "JPEG")


def webp(size=(8, 8), color="red") -> bytes:
    return encode(Image.new("RGB", size, color), "WEBP")


def jpeg_with_gps(orientation: int | None = None, size=(16, 8)) -> bytes:
    """A camera photo: EXIF with the maker, a GPS position and, optionally, an orientation tag."""
    image = Image.new("RGB", size, "white")
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))  # left half red: shows a rotation
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.ImageDescription] = "<script>alert(1)</script>"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (126.0, 58.0, 41.0),
    }
    return encode(image, "JPEG", exif=exif, quality=95)


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 37.5665,126.9780</x:xmpmeta>")
    return encode(Image.new("RGBA", (8, 8), (0, 0, 255, 128)), "PNG", pnginfo=info)


def animated(image_format: str) -> bytes:
    frames = [Image.new("RGB", (8, 8), color) for color in ("red", "green", "blue")]
    return encode(frames[0], image_format, save_all=True, append_images=frames[1:], duration=100, loop=0)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A decompression bomb: a valid PNG header declaring ``width`` × ``height`` RGB pixels whose tiny
    IDAT holds a few rows of zeros (a decoder that trusted the header would allocate it all)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 3 * min(width, 4096)) * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def noise_png(width: int, height: int) -> bytes:
    """Incompressible pixels: a PNG about 3 bytes a pixel (for the byte-size bound)."""
    import os

    return encode(Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)), "PNG")


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
