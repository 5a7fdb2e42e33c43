"""From untrusted photo bytes to a fully decoded, upright, 8-bit RGB Pillow image.

Every way bad input can fail here ends in :class:`PhotoError` with one Chinese sentence
that names the file. Pillow's global state is only touched briefly, under a lock, while
a file header is parsed (the decompression-bomb limit).
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image

from inspector.errors import UserError

#: Largest accepted picture, in pixels (a 108 MP phone sensor is 12000 x 9000).
PIXEL_LIMIT = 100_000_000
#: Formats accepted after Pillow (or pillow-heif) has identified the file.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "TIFF", "HEIF"})
#: Largest ICC profile carried over into the stored JPEG.
MAX_ICC_BYTES = 256 * 1024

_WHITE = (255, 255, 255)
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF", b"II*\x00", b"MM\x00*")
_HIGH_DEPTH_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N", "F"})

_pillow_state_lock = threading.Lock()
_heif_registered = False


class PhotoError(UserError, ValueError):
    """A photo that cannot be imported; the message names the file in one sentence."""


def photo_label(name: str) -> str:
    """'照片 x.jpg ' for messages, or '照片' when the photo has no file name."""
    return f"照片 {name} " if name else "照片"


def open_image(data: bytes, name: str) -> Image.Image:
    """Identify ``data`` and parse its header (no pixel decoding yet)."""
    photo = photo_label(name)
    if looks_like_heif(data) and not _register_heif_opener():
        raise PhotoError(
            f"{photo}是 HEIC 格式，本机缺少 HEIC 解码组件（pillow-heif），"
            "请在 iPhone 的“设置 > 相机 > 格式”中选择“兼容性最佳”，或先转换为 JPEG 再导入。"
        )
    try:
        with _pixel_limit():
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(photo) from exc
    except Image.UnidentifiedImageError as exc:
        if data.startswith(_IMAGE_SIGNATURES):
            raise _damaged(photo) from exc
        raise PhotoError(f"{photo}不是图片文件。") from exc
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - plugins raise many types on bad headers
        raise _damaged(photo) from exc
    _check_header(image, photo)
    return image


def load_image(image: Image.Image, name: str, max_side: int | None = None) -> Image.Image:
    """Decode all pixel data; JPEGs much larger than ``max_side`` decode at 1/2..1/8 scale.

    A full decode is what catches truncated and corrupt files, so it happens here, at
    import, rather than when the photo is printed.
    """
    if max_side and image.format in ("JPEG", "MPO"):
        request = draft_request(image.size, max_side)
        if request is not None:
            image.draft("RGB", request)
    try:
        image.load()
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - truncated data, bad streams, decoder errors
        raise _damaged(photo_label(name)) from exc
    return image


def draft_request(size: tuple[int, int], max_side: int) -> tuple[int, int] | None:
    """The size to pass to ``Image.draft`` so the long side still reaches ``max_side``.

    Computed on the stored (not yet rotated) dimensions, which is what the decoder
    scales: a portrait photo stored as 4000x3000 with Orientation 6 must be asked for
    2048x1536, not 1536x2048 (that would let the decoder go below 2048 on the long
    side). Returns None when no 1/2, 1/4 or 1/8 scale would fit.
    """
    width, height = size
    long_side = max(width, height)
    if long_side < 2 * max_side:
        return None
    # Ceiling division keeps the scaled size >= the exact target on both sides.
    return (-(-width * max_side // long_side), -(-height * max_side // long_side))


def to_rgb(image: Image.Image) -> Image.Image:
    """Convert any decoded mode to 8-bit RGB; transparency is flattened onto white."""
    if image.mode == "RGB":
        return image
    if image.mode == "CMYK":
        return _cmyk_to_rgb(image)
    if image.mode in _HIGH_DEPTH_MODES:
        return _high_depth_to_rgb(image)
    if image.mode in ("RGBA", "LA", "PA", "RGBa") or image.has_transparency_data:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def orient(image: Image.Image, orientation: int) -> Image.Image:
    """Apply an EXIF orientation (1..8) so the image is upright; other values do nothing."""
    method = _TRANSPOSE.get(orientation)
    return image.transpose(method) if method is not None else image


def rgb_icc_profile(image: Image.Image) -> bytes | None:
    """The image's ICC profile if it is a sane RGB profile worth keeping, else None."""
    icc = image.info.get("icc_profile")
    if not isinstance(icc, bytes) or not icc or len(icc) > MAX_ICC_BYTES:
        return None
    try:
        from PIL import ImageCms

        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if profile.profile.xcolor_space.strip() != "RGB":
            return None
    except Exception:  # noqa: BLE001 - a damaged profile is simply dropped
        return None
    return icc


def looks_like_heif(data: bytes) -> bool:
    """True for an ISO-BMFF file whose brands say HEIF/HEIC (not AVIF)."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    major = data[8:12]
    if major in (b"avif", b"avis"):
        return False
    box_end = min(int.from_bytes(data[0:4], "big"), len(data), 256)
    compatible = (data[i : i + 4] for i in range(16, box_end - 3, 4))
    return major in _HEIF_BRANDS or any(brand in _HEIF_BRANDS for brand in compatible)


def _register_heif_opener() -> bool:
    """Register pillow-heif with Pillow on first need; False if it is not installed."""
    global _heif_registered
    if not _heif_registered:
        try:
            import pillow_heif
        except ImportError:
            return False
        pillow_heif.register_heif_opener()
        _heif_registered = True
    return True


@contextmanager
def _pixel_limit() -> Iterator[None]:
    """Use PIXEL_LIMIT as Pillow's bomb limit and make its warning an error, briefly.

    Pillow keeps both in global state; the lock stops concurrent imports from
    restoring each other's values in the wrong order.
    """
    with _pillow_state_lock, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = PIXEL_LIMIT
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def _check_header(image: Image.Image, photo: str) -> None:
    """Refuse unsupported formats and absurd sizes before any pixel is decoded."""
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoError(f"{photo}的格式（{image.format}）不受支持，请转换为 JPEG 或 PNG 后再导入。")
    width, height = image.size
    if width < 1 or height < 1:
        raise _damaged(photo)
    if width * height > PIXEL_LIMIT:
        raise _too_many_pixels(photo)


def _cmyk_to_rgb(image: Image.Image) -> Image.Image:
    """CMYK to RGB through the embedded profile when there is one, else naively."""
    icc = image.info.get("icc_profile")
    if icc:
        try:
            from PIL import ImageCms

            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
            converted = ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
            if converted is not None:
                return converted
        except Exception:  # noqa: BLE001 - damaged or foreign profile: fall back below
            pass
    return image.convert("RGB")


def _high_depth_to_rgb(image: Image.Image) -> Image.Image:
    """16-bit / 32-bit grayscale to 8-bit by scaling, not by clipping at 255.

    Values are taken as 16-bit (0..65535) unless the data shows otherwise: up to 255
    means already 8-bit, floats up to 1.0 mean 0..1 intensities, and anything above
    65535 is scaled by its own maximum.
    """
    wide = image if image.mode in ("I", "F") else image.convert("I")
    _, high = wide.getextrema()
    if image.mode == "F" and high <= 1.0:
        scale = 255.0
    elif high <= 255:
        scale = 1.0
    else:
        scale = 255.0 / max(high, 65535)
    return wide.point(lambda value: value * scale).convert("L").convert("RGB")


def _damaged(photo: str) -> PhotoError:
    return PhotoError(f"{photo}已损坏或不完整，无法读取。")


def _too_many_pixels(photo: str) -> PhotoError:
    limit = f"{PIXEL_LIMIT / 100_000_000:g} 亿"
    return PhotoError(f"{photo}的像素数超过 {limit}，可能是恶意文件，拒绝导入。")
