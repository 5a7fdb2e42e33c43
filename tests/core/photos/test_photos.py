"""Tests for the Qt-free photo import (inspector.core.photos.ingest and its photo_* helpers)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import struct
import subprocess
import sys
import threading
import warnings
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFile, ImageStat

from inspector.core.photos import decode as photo_decode
from inspector.core.photos.decode import draft_request, looks_like_heif
from inspector.core.photos.exif import parse_exif_datetime, parse_exif_offset, parse_gps
from inspector.core.photos.jpeg import strip_jpeg_metadata
from inspector.core.photos.ingest import (
    IngestedPhoto,
    PhotoError,
    ingest,
    make_thumbnail,
    match_by_capture_time,
    scan_folder,
)
from inspector.errors import UserError
from tests.helpers import REAL_PHOTOS

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "photos"
SHARED = REAL_PHOTOS  # carried in tests/data so that none of these tests skip in a clone
UTC = timezone.utc


# ---------------------------------------------------------------- helpers


def shared(*parts: str) -> Path:
    """A file or folder of the workplace's shared test photos; skip when absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test photos not available: {path}")
    return path


def shared_files(folder: str) -> list[str]:
    """Names in a shared folder for parametrize (one placeholder when absent)."""
    path = SHARED / folder
    names = sorted(p.name for p in path.glob("*") if p.is_file()) if path.is_dir() else []
    return names or ["<shared folder absent>"]


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def noisy(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """A photo-like RGB image: gradients plus noise (compresses like a real photo)."""
    width, height = size
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            Image.linear_gradient("L").rotate(90).resize(size),
            Image.radial_gradient("L").resize(size),
        ),
    )
    noise = Image.merge("RGB", [Image.effect_noise(size, 30 + seed) for _ in range(3)])
    return Image.blend(base, noise, 0.2)


def marked(size: tuple[int, int]) -> Image.Image:
    """Gray image with a red block in the top-left corner, to check orientation."""
    image = Image.new("RGB", size, (128, 128, 128))
    image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    return image


def exif_with(
    orientation: int | None = None,
    original: str | None = None,
    offset: str | None = None,
    datetime_ifd0: str | None = None,
    gps: dict[int, object] | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if datetime_ifd0 is not None:
        exif[0x0132] = datetime_ifd0
    sub = exif.get_ifd(0x8769)
    if original is not None:
        sub[0x9003] = original
    if offset is not None:
        sub[0x9011] = offset
    if gps:
        exif.get_ifd(0x8825).update(gps)
    return exif


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def assert_one_sentence_naming(error: PhotoError, name: str) -> None:
    message = str(error)
    assert name in message
    assert message.endswith("。") and message.count("。") == 1, message


# ---------------------------------------------------------------- result shape


def test_result_is_frozen_and_describes_the_original(tmp_path: Path) -> None:
    source = DATA / "DSCN0010.jpg"
    photo = ingest(source)
    assert isinstance(photo, IngestedPhoto)
    assert photo.original_name == "DSCN0010.jpg"
    original = source.read_bytes()
    assert photo.original_size == len(original)
    assert photo.original_sha256 == hashlib.sha256(original).hexdigest()
    assert (photo.width, photo.height) == decode(photo.jpeg).size == (640, 480)
    with pytest.raises(dataclasses.FrozenInstanceError):
        photo.width = 1  # type: ignore[misc]
    assert "jpeg" not in repr(photo)  # no megabytes of bytes in logs


def test_bytes_source_has_empty_name_unless_given() -> None:
    data = (DATA / "Canon_40D.jpg").read_bytes()
    assert ingest(data).original_name == ""
    assert ingest(bytearray(data), name="a.jpg").original_name == "a.jpg"
    assert ingest(data).original_sha256 == hashlib.sha256(data).hexdigest()


def test_path_given_as_str(tmp_path: Path) -> None:
    assert ingest(str(DATA / "Canon_40D.jpg")).original_name == "Canon_40D.jpg"


def test_stored_jpeg_has_no_exif_and_gps_is_returned() -> None:
    photo = ingest(DATA / "DSCN0010.jpg")
    stored = decode(photo.jpeg)
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert not stored.getexif()
    assert b"Exif" not in photo.jpeg[:2000] and b"Exif" not in photo.thumbnail[:2000]
    lat, lon = photo.gps
    assert lat == pytest.approx(43.4674483, abs=1e-6)
    assert lon == pytest.approx(11.8851267, abs=1e-6)
    assert photo.captured_at == datetime(2008, 10, 22, 8, 28, 39, tzinfo=UTC)


# ---------------------------------------------------------------- orientation


@pytest.mark.parametrize("kind", ["landscape", "portrait"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_real_orientation_files_end_upright(kind: str, orientation: int) -> None:
    photo = ingest(DATA / f"{kind}_{orientation}.jpg")
    image = decode(photo.jpeg)
    assert image.size == (photo.width, photo.height)
    assert (image.width > image.height) == (kind == "landscape")
    # The upright picture matches orientation 1 better than any mirror/rotation of it.
    reference = decode(ingest(DATA / f"{kind}_1.jpg").jpeg)
    upright = mean_difference(image, reference)
    wrong_ways = (Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM, Image.Transpose.ROTATE_180)
    for wrong in wrong_ways:
        assert upright < mean_difference(image.transpose(wrong), reference) - 10


@pytest.mark.parametrize("orientation", range(1, 9))
def test_generated_orientations_put_the_marked_corner_top_left(orientation: int) -> None:
    upright = marked((80, 40))
    inverse = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }
    stored = upright.transpose(inverse[orientation]) if orientation in inverse else upright
    photo = ingest(encode(stored, "PNG", exif=exif_with(orientation=orientation)))
    image = decode(photo.jpeg)
    assert image.size == (80, 40)
    red, green, _ = image.getpixel((5, 5))
    assert red > 200 and green < 60
    assert image.getpixel((75, 35))[0] < 160


def test_invalid_orientation_values_are_ignored() -> None:
    for value in (0, 9, 65535):
        photo = ingest(encode(marked((60, 30)), exif=exif_with(orientation=value)))
        assert (photo.width, photo.height) == (60, 30)


# ---------------------------------------------------------------- size and speed


def test_a_12_mp_jpeg_is_stored_at_the_decoders_half_scale(tmp_path: Path) -> None:
    """2000x1500 straight from the decoder (1/2 scale), no resampling: enough for A4 and the viewer."""
    path = tmp_path / "big.jpg"
    path.write_bytes(encode(noisy((1000, 750)).resize((4000, 3000)), quality=85))
    photo = ingest(path)
    assert (photo.width, photo.height) == (2000, 1500)
    assert decode(photo.jpeg).size == (2000, 1500)
    assert decode(photo.thumbnail).size == (256, 192)
    assert len(photo.jpeg) < path.stat().st_size


def test_a_24_mp_jpeg_is_downscaled_to_2048(tmp_path: Path) -> None:
    path = tmp_path / "huge.jpg"
    path.write_bytes(encode(noisy((600, 400)).resize((6000, 4000)), quality=85))
    photo = ingest(path)
    assert (photo.width, photo.height) == (2048, 1365)
    assert decode(photo.thumbnail).size == (256, 171)


def test_large_rotated_jpeg_is_downscaled_and_upright() -> None:
    data = encode(marked((4000, 3000)).transpose(Image.Transpose.ROTATE_90), exif=exif_with(orientation=6))
    photo = ingest(data)
    assert (photo.width, photo.height) == (2000, 1500)
    assert decode(photo.jpeg).getpixel((20, 20))[0] > 200


def test_draft_request_uses_stored_dimensions() -> None:
    assert draft_request((4000, 3000), 2048) is None  # 1/2 would give 2000 < 2048
    assert draft_request((4096, 3072), 2048) == (2048, 1536)
    assert draft_request((4608, 1976), 2048) == (2048, 879)
    assert draft_request((1976, 4608), 2048) == (879, 2048)  # stored portrait
    assert draft_request((1000, 800), 2048) is None


def test_very_large_jpeg_is_decoded_at_reduced_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import JpegImagePlugin

    decoded_sizes: list[tuple[int, int]] = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):  # type: ignore[no-untyped-def]
        result = real_draft(self, mode, size)
        decoded_sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    stored = marked((8400, 600)).transpose(Image.Transpose.ROTATE_270)  # stored portrait
    photo = ingest(encode(stored, quality=60, exif=exif_with(orientation=8)))
    assert decoded_sizes == [(150, 2100)]  # 1/4 scale, still >= 2048 on the long side
    assert (photo.width, photo.height) == (2048, 146)
    assert decode(photo.jpeg).getpixel((10, 10))[0] > 200  # marked corner top-left


def test_small_jpeg_does_not_grow_and_loses_its_metadata() -> None:
    gps = {1: "N", 2: (30.0, 0.0, 0.0), 3: "E", 4: (114.0, 0.0, 0.0)}
    exif = exif_with(original="2024:03:05 09:10:11", gps=gps)
    # Optimised Huffman tables at low quality: re-encoding at quality 80 would grow it.
    original = encode(noisy((640, 480)), quality=40, optimize=True, exif=exif, comment=b"secret")
    photo = ingest(original)
    assert len(photo.jpeg) <= len(original)
    kept = decode(photo.jpeg)
    assert not kept.getexif() and b"secret" not in photo.jpeg
    assert ImageChops.difference(kept, decode(original)).getbbox() is None  # same pixels
    assert photo.captured_at == datetime(2024, 3, 5, 1, 10, 11, tzinfo=UTC)
    assert photo.gps == (30.0, 114.0)


def test_small_high_quality_jpeg_is_reencoded_smaller() -> None:
    original = encode(noisy((640, 480)), quality=98)
    photo = ingest(original)
    assert len(photo.jpeg) < len(original) * 0.7


def test_real_small_jpegs_never_grow() -> None:
    for path in sorted(DATA.glob("*.jpg")):
        assert len(ingest(path).jpeg) <= path.stat().st_size, path.name


def test_strip_jpeg_metadata_keeps_pixels_and_drops_trailing_images() -> None:
    source = encode(noisy((64, 48)), exif=exif_with(original="2020:01:01 00:00:00"), comment=b"hello")
    stripped = strip_jpeg_metadata(source + b"\xff\xd8 appended MPO image \xff\xd9")
    assert stripped is not None and stripped.endswith(b"\xff\xd9")
    assert b"Exif" not in stripped and b"hello" not in stripped and b"MPO" not in stripped
    assert ImageChops.difference(decode(stripped), decode(source)).getbbox() is None
    assert strip_jpeg_metadata(source[:-200]) is None
    assert strip_jpeg_metadata(b"not a jpeg") is None


def test_thumbnail_is_not_enlarged_and_make_thumbnail_works() -> None:
    tiny = ingest(DATA / "Canon_40D.jpg")
    assert decode(tiny.thumbnail).size == (100, 68)
    thumb = decode(make_thumbnail(encode(noisy((1000, 2000)))))
    assert thumb.size == (128, 256) and thumb.format == "JPEG"
    stored = marked((600, 300)).transpose(Image.Transpose.ROTATE_90)
    rotated = make_thumbnail(encode(stored, exif=exif_with(orientation=6)))
    assert decode(rotated).size == (256, 128)
    with pytest.raises(PhotoError):
        make_thumbnail(b"")


# ---------------------------------------------------------------- colour modes


def test_cmyk_jpeg_becomes_rgb() -> None:
    data = encode(Image.new("RGB", (64, 64), (255, 0, 0)).convert("CMYK"))
    image = decode(ingest(data).jpeg)
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((32, 32))
    assert red > 200 and green < 50 and blue < 50


def test_png_with_alpha_is_flattened_onto_white() -> None:
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (20, 0, 40, 20))
    result = decode(ingest(encode(image, "PNG")).jpeg)
    assert result.mode == "RGB"
    assert min(result.getpixel((5, 10))) > 245  # transparent -> white, not black
    red, green, blue = result.getpixel((35, 10))
    assert blue > 200 and red < 50 and green < 50


def test_16_bit_png_is_scaled_not_clipped() -> None:
    ramp = Image.linear_gradient("L").resize((64, 64)).convert("I").point(lambda v: v * 257).convert("I;16")
    data = encode(ramp, "PNG")
    assert decode(data).mode in ("I;16", "I")
    result = decode(ingest(data).jpeg).convert("L")
    assert result.getpixel((32, 2)) < 20
    assert 100 < result.getpixel((32, 32)) < 156  # a clipping conversion gives 255
    assert result.getpixel((32, 62)) > 235
    flat = Image.new("I;16", (16, 16), 30000)
    assert 105 < decode(ingest(encode(flat, "PNG")).jpeg).convert("L").getpixel((8, 8)) < 130


def test_palette_with_transparency_is_flattened_onto_white() -> None:
    image = Image.new("P", (40, 20), 1)
    image.putpalette([255, 0, 0, 0, 0, 0] + [0] * 762)
    image.paste(0, (0, 0, 20, 20))
    result = decode(ingest(encode(image, "PNG", transparency=1)).jpeg)
    red, green, blue = result.getpixel((5, 10))
    assert red > 200 and green < 50 and blue < 50
    assert min(result.getpixel((35, 10))) > 245  # transparent index -> white


def test_webp_is_accepted() -> None:
    image = Image.new("RGB", (300, 200), (0, 160, 0))
    photo = ingest(encode(image, "WEBP", quality=90), name="x.webp")
    result = decode(photo.jpeg)
    assert result.size == (300, 200) and result.mode == "RGB"
    assert result.getpixel((150, 100))[1] > 130


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_grayscale_is_accepted(fmt: str) -> None:
    gray = Image.linear_gradient("L").resize((200, 100))
    result = decode(ingest(encode(gray, fmt)).jpeg)
    assert result.size == (200, 100)
    assert result.mode in ("RGB", "L")  # L only when a small JPEG is kept as it is
    assert result.convert("L").getpixel((100, 95)) > 200


def test_tiff_is_accepted() -> None:
    assert ingest(encode(marked((50, 40)), "TIFF"), name="scan.tif").width == 50


# ---------------------------------------------------------------- capture time and GPS


def test_capture_time_from_date_time_original_assumes_china_time() -> None:
    photo = ingest(DATA / "Canon_40D.jpg")  # DateTime differs: 2008:07:31 10:38:11
    assert photo.captured_at == datetime(2008, 5, 30, 7, 56, 1, tzinfo=UTC)
    assert photo.captured_at.tzinfo is not None


def test_capture_time_uses_offset_time_original() -> None:
    data = encode(marked((20, 20)), exif=exif_with(original="2024:03:05 09:10:11", offset="-05:30"))
    assert ingest(data).captured_at == datetime(2024, 3, 5, 14, 40, 11, tzinfo=UTC)


def test_capture_time_falls_back_to_datetime() -> None:
    assert ingest(DATA / "67-0_length_string.jpg").captured_at == datetime(2016, 9, 12, 2, 5, 31, tzinfo=UTC)
    exif = exif_with(original="0000:00:00 00:00:00", datetime_ifd0="2023:12:31 23:30:00")
    data = encode(marked((20, 20)), exif=exif)
    assert ingest(data).captured_at == datetime(2023, 12, 31, 15, 30, tzinfo=UTC)


def test_no_capture_time_gives_none() -> None:
    assert ingest(encode(marked((20, 20)))).captured_at is None
    assert ingest(encode(marked((20, 20)), "PNG")).gps is None


def test_mobile_photo_capture_time_from_date_time_original() -> None:
    photo = ingest(shared("mobile", "HMD_Nokia_8.3_5G.jpg"))
    assert photo.captured_at == datetime(2022, 8, 14, 11, 12, 31, tzinfo=UTC)  # +03:00 in the file
    assert (photo.width, photo.height) == (2048, 878)


def test_exif_parsers_are_defensive() -> None:
    assert parse_exif_datetime("2024:01:02 03:04:05\x00") == datetime(2024, 1, 2, 3, 4, 5)
    assert parse_exif_datetime(b"2024-01-02 03:04:05") == datetime(2024, 1, 2, 3, 4, 5)
    for bad in ("", "    :  :     :  :  ", "2024:13:40 25:00:00", None, 12345, (1, 2), b"\xff\xfe"):
        assert parse_exif_datetime(bad) is None
    assert parse_exif_offset("+08:00") == timezone(timedelta(hours=8))
    for bad in ("", "+8", "+25:00", "   :  ", None, 8):
        assert parse_exif_offset(bad) is None


def test_gps_parser_is_defensive() -> None:
    good = {1: "S", 2: (33.0, 51.0, 36.0), 3: b"W\x00", 4: (70.0, 39.0, 0.0)}
    assert parse_gps(good) == (-33.86, -70.65)
    hostile = [
        {},
        {1: "N", 2: (float("nan"), 0.0, 0.0), 3: "E", 4: (10.0, 0.0, 0.0)},
        {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (10.0, 0.0, 0.0)},
        {1: "X", 2: (30.0, 0.0, 0.0), 3: "E", 4: (10.0, 0.0, 0.0)},
        {1: "N", 2: "30 deg", 3: "E", 4: (10.0, 0.0, 0.0)},
        {1: "N", 2: (), 3: "E", 4: (10.0, 0.0, 0.0)},
        {1: "N", 2: (1, 2, 3, 4), 3: "E", 4: (10.0, 0.0, 0.0)},
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},
        {1: "N", 2: (30.0, object(), 0.0), 3: "E", 4: (10.0, 0.0, 0.0)},
    ]
    for gps in hostile:
        assert parse_gps(gps) is None, gps


# ---------------------------------------------------------------- hostile metadata


@pytest.mark.parametrize(
    "name", ["image01551.jpg", "image01713.jpg", "image01980.jpg", "image02206.jpg"]
)
def test_broken_exif_files_are_accepted_without_capture_time(name: str) -> None:
    photo = ingest(DATA / name)
    assert photo.captured_at is None
    assert decode(photo.jpeg).size == (photo.width, photo.height)


def test_looping_exif_is_accepted_quickly() -> None:
    entries = [(0x0112, 3, 1, 9 << 16), (0x8769, 4, 1, 8), (0x8825, 4, 1, 8)]
    ifd = struct.pack(">H", len(entries))
    ifd += b"".join(struct.pack(">HHII", *entry) for entry in entries) + struct.pack(">I", 8)
    payload = b"Exif\x00\x00MM\x00*" + struct.pack(">I", 8) + ifd
    jpeg = encode(marked((40, 20)))
    hostile = jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]
    results: list[IngestedPhoto] = []
    worker = threading.Thread(target=lambda: results.append(ingest(hostile)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "ingest hung on looping EXIF"
    assert results and (results[0].width, results[0].height) == (40, 20)
    assert results[0].captured_at is None and results[0].gps is None


@pytest.mark.parametrize("name", shared_files("tests"))
def test_shared_hostile_metadata_files_are_accepted(name: str) -> None:
    photo = ingest(shared("tests", name))
    assert max(photo.width, photo.height) <= 2048
    assert decode(photo.jpeg).size == (photo.width, photo.height)


@pytest.mark.parametrize("folder", ["invalid", "cameras", "gps", "hdr"])
def test_shared_camera_folders_are_accepted(folder: str) -> None:
    for path in sorted(shared(folder).glob("*.jpg")):
        photo = ingest(path)
        assert max(photo.width, photo.height) <= 2048, path.name
        if folder == "gps":
            assert photo.captured_at is not None and photo.captured_at.year == 2008
            assert photo.gps is not None


# ---------------------------------------------------------------- HEIC


def test_real_heic_photo_is_accepted() -> None:
    pytest.importorskip("pillow_heif")
    photo = ingest(shared("heic", "IMG_5195.HEIC"))
    assert photo.height == 2048 and photo.width < photo.height  # iPhone portrait, upright
    assert decode(photo.jpeg).format == "JPEG"
    assert photo.captured_at == datetime(2021, 4, 11, 20, 47, 53, tzinfo=UTC)  # -05:00 in file
    assert photo.gps == pytest.approx((39.0513444, -94.2887722), abs=1e-6)


def test_heic_without_plugin_is_refused_with_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # import fails
    monkeypatch.setattr(photo_decode, "_heif_registered", False)
    data = struct.pack(">I", 24) + b"ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(PhotoError) as caught:
        ingest(data, name="IMG_0001.HEIC")
    assert_one_sentence_naming(caught.value, "IMG_0001.HEIC")
    assert "HEIC" in str(caught.value) and "JPEG" in str(caught.value)


def test_heif_sniffing() -> None:
    assert looks_like_heif(struct.pack(">I", 24) + b"ftypheic\x00\x00\x00\x00mif1heic")
    assert looks_like_heif(struct.pack(">I", 24) + b"ftypmif1\x00\x00\x00\x00mif1heic")
    assert not looks_like_heif(struct.pack(">I", 24) + b"ftypavif\x00\x00\x00\x00mif1miaf")
    assert not looks_like_heif(struct.pack(">I", 24) + b"ftypisom\x00\x00\x00\x00isomavc1")
    assert not looks_like_heif(b"\xff\xd8\xff")


# ---------------------------------------------------------------- bad input


def test_text_file_renamed_jpg(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("隐患记录：这不是照片\n" * 20, encoding="utf-8")
    with pytest.raises(PhotoError) as caught:
        ingest(path)
    assert_one_sentence_naming(caught.value, "notes.jpg")
    assert "不是图片" in str(caught.value)


def test_truncated_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "cut.jpg"
    path.write_bytes(encode(noisy((800, 600)))[:30_000])
    with pytest.raises(PhotoError) as caught:
        ingest(path)
    assert_one_sentence_naming(caught.value, "cut.jpg")
    assert "损坏" in str(caught.value)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_truncated_jpeg_is_caught_with_draft_decoding() -> None:
    data = encode(noisy((4400, 300)))
    with pytest.raises(PhotoError, match="损坏"):
        ingest(data[: len(data) // 2], name="big-cut.jpg")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_truncated_other_formats(fmt: str) -> None:
    data = encode(noisy((300, 200)), fmt)
    with pytest.raises(PhotoError, match="损坏"):
        ingest(data[: len(data) * 2 // 3], name="cut")


def test_damaged_header_with_image_signature() -> None:
    with pytest.raises(PhotoError, match="损坏"):
        ingest(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, name="x.png")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(PhotoError) as caught:
        ingest(path)
    assert_one_sentence_naming(caught.value, "empty.jpg")
    assert "空文件" in str(caught.value)
    with pytest.raises(PhotoError, match="空文件"):
        ingest(b"")


@pytest.mark.parametrize("size", [(100_000, 100_000), (12_000, 9_000)])
def test_decompression_bomb(size: tuple[int, int]) -> None:
    limit_before = Image.MAX_IMAGE_PIXELS
    filters_before = list(warnings.filters)
    with pytest.raises(PhotoError) as caught:
        ingest(png_claiming(*size), name="bomb.png")
    assert_one_sentence_naming(caught.value, "bomb.png")
    assert "像素" in str(caught.value)
    assert Image.MAX_IMAGE_PIXELS == limit_before
    assert warnings.filters == filters_before


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PhotoError) as caught:
        ingest(tmp_path / "gone.jpg")
    assert_one_sentence_naming(caught.value, "gone.jpg")
    assert isinstance(caught.value.__cause__, FileNotFoundError)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "DCIM.jpg"
    folder.mkdir()
    with pytest.raises(PhotoError) as caught:
        ingest(folder)
    assert_one_sentence_naming(caught.value, "DCIM.jpg")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.jpg"
    path.write_bytes((DATA / "Canon_40D.jpg").read_bytes())

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(PhotoError) as caught:
        ingest(path)
    assert_one_sentence_naming(caught.value, "locked.jpg")
    assert "权限" in str(caught.value)


@pytest.mark.parametrize("fmt", ["GIF", "BMP"])
def test_unsupported_format(fmt: str) -> None:
    with pytest.raises(PhotoError) as caught:
        ingest(encode(marked((20, 20)), fmt), name=f"x.{fmt.lower()}")
    assert_one_sentence_naming(caught.value, f"x.{fmt.lower()}")
    assert fmt in str(caught.value)


def test_photo_error_is_a_user_error_and_a_value_error() -> None:
    assert issubclass(PhotoError, UserError) and issubclass(PhotoError, ValueError)
    with pytest.raises(PhotoError) as caught:
        ingest(b"plain text")
    assert str(caught.value) == "照片不是图片文件。"


def test_wrong_source_type_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        ingest(12345)  # type: ignore[arg-type]


def test_concurrent_imports_restore_pillow_state() -> None:
    limit_before = Image.MAX_IMAGE_PIXELS
    sources = [png_claiming(100_000, 100_000), (DATA / "Canon_40D.jpg").read_bytes()] * 8
    errors: list[Exception] = []

    def run(data: bytes) -> None:
        try:
            ingest(data)
        except PhotoError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(data,)) for data in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == 8
    assert Image.MAX_IMAGE_PIXELS == limit_before


# ---------------------------------------------------------------- folder scan and matching


def test_scan_folder(tmp_path: Path) -> None:
    for relative in [
        "b.JPG", "a.jpeg", "sub/c.png", "sub/deeper/d.HEIC", "e.heif", "f.Tif", "g.tiff",
        "h.webp", "notes.txt", "video.mp4", ".hidden/x.jpg", "._a.jpeg", "sub/.thumbnails/t.jpg",
    ]:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    (tmp_path / "folder.jpg").mkdir()
    found = [path.relative_to(tmp_path).as_posix() for path in scan_folder(tmp_path)]
    assert found == [
        "a.jpeg", "b.JPG", "e.heif", "f.Tif", "g.tiff", "h.webp", "sub/c.png", "sub/deeper/d.HEIC",
    ]
    with pytest.raises(PhotoError):
        scan_folder(tmp_path / "missing")


def test_match_by_capture_time() -> None:
    base = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    findings = [base + timedelta(hours=2), base, base + timedelta(hours=1)]  # unsorted
    photos = [
        base + timedelta(minutes=5),    # -> 1
        base + timedelta(minutes=50),   # -> 2 (10 min vs 50 min)
        base + timedelta(minutes=30),   # exactly between 1 and 2 -> earlier finding 1
        base + timedelta(hours=3),      # 60 min after the last -> None
        base - timedelta(minutes=30),   # tolerance is inclusive -> 1
        None,
        base + timedelta(hours=2, minutes=1),  # -> 0
    ]
    assert match_by_capture_time(photos, findings) == [1, 2, 1, None, 1, None, 0]
    assert match_by_capture_time(photos[:1], []) == [None]
    assert match_by_capture_time(photos[:2], findings, tolerance=timedelta(minutes=1)) == [None, None]


def test_match_prefers_lowest_index_among_equal_finding_times() -> None:
    base = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    findings = [base + timedelta(hours=1), base, base, base + timedelta(hours=1)]
    photos = [base + timedelta(minutes=1), base + timedelta(minutes=59), base - timedelta(minutes=1)]
    assert match_by_capture_time(photos, findings) == [1, 0, 1]


# ---------------------------------------------------------------- imports


def test_importing_core_does_not_import_pillow_or_heif() -> None:
    code = (
        "import sys, inspector.core; assert 'PIL' not in sys.modules, 'PIL'\n"
        "import inspector.core.photos.ingest; assert 'pillow_heif' not in sys.modules, 'heif'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
