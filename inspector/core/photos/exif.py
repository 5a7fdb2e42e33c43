"""Defensive reading of the few EXIF fields the app uses: orientation, capture time, GPS.

Metadata is optional evidence, never a reason to refuse a photo: every reader here
returns a neutral value (orientation 1, ``None``) when a tag is missing, malformed or
hostile, and never raises. Real files with looping, truncated or mistyped EXIF blocks
exist (see the ``invalid/`` and ``tests/`` folders of the shared test photos).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from PIL import Image

# Tags in IFD0.
ORIENTATION = 0x0112
DATETIME = 0x0132
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
# Tags in the Exif sub-IFD.
DATETIME_ORIGINAL = 0x9003
DATETIME_DIGITIZED = 0x9004
OFFSET_TIME = 0x9010
OFFSET_TIME_ORIGINAL = 0x9011
OFFSET_TIME_DIGITIZED = 0x9012
# Tags in the GPS IFD.
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4

#: EXIF times are camera-local without a zone; the app's users are in China.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

# Each capture-time tag in order of preference, with the offset tag that belongs to it.
_TIME_TAGS = (
    (DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL),
    (DATETIME_DIGITIZED, OFFSET_TIME_DIGITIZED),
    (DATETIME, OFFSET_TIME),
)
_DATETIME_RE = re.compile(r"(\d{4})[:\-](\d\d)[:\-](\d\d)[ T](\d\d):(\d\d):(\d\d)")
_OFFSET_RE = re.compile(r"([+-])(\d\d):(\d\d)")


@dataclass(frozen=True)
class PhotoMetadata:
    """What the app keeps from a photo's EXIF block."""

    orientation: int = 1
    captured_at: datetime | None = None
    gps: tuple[float, float] | None = None


def read_metadata(image: Image.Image) -> PhotoMetadata:
    """Read orientation, capture time (UTC) and GPS position; never raises."""
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - hostile EXIF must not block an import
        return PhotoMetadata()
    sub = _ifd(exif, EXIF_IFD)
    return PhotoMetadata(
        orientation=read_orientation(exif),
        captured_at=_captured_at(exif, sub),
        gps=parse_gps(_ifd(exif, GPS_IFD)),
    )


def read_orientation(exif: Image.Exif | dict[int, Any]) -> int:
    """The EXIF orientation 1..8, or 1 when it is absent or not a valid value."""
    try:
        value = exif.get(ORIENTATION)
    except Exception:  # noqa: BLE001
        return 1
    if isinstance(value, int) and 1 <= value <= 8:
        return value
    return 1


def parse_exif_datetime(value: object) -> datetime | None:
    """Parse an EXIF ``YYYY:MM:DD HH:MM:SS`` value into a naive datetime, or None."""
    text = _text(value)
    match = _DATETIME_RE.match(text) if text else None
    if not match:
        return None
    try:
        return datetime(*(int(part) for part in match.groups()))
    except ValueError:  # "0000:00:00 00:00:00" and other impossible dates
        return None


def parse_exif_offset(value: object) -> timezone | None:
    """Parse an EXIF ``+08:00`` offset value into a timezone, or None."""
    text = _text(value)
    match = _OFFSET_RE.fullmatch(text) if text else None
    if not match:
        return None
    sign, hours, minutes = match.groups()
    if int(hours) > 14 or int(minutes) >= 60:
        return None
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _ifd(exif: Image.Exif, tag: int) -> dict[int, Any]:
    """One sub-IFD as a dict, empty when it is missing or unreadable."""
    try:
        return dict(exif.get_ifd(tag))
    except Exception:  # noqa: BLE001
        return {}


def _captured_at(ifd0: Image.Exif, sub: dict[int, Any]) -> datetime | None:
    """The first usable capture time, converted to UTC.

    Each time tag is read with its own offset tag (EXIF 2.31); a time without one is
    taken as China Standard Time. Tags are looked up in the Exif sub-IFD first, then
    in IFD0, where some writers misplace them.
    """

    def lookup(tag: int) -> object:
        try:
            return sub[tag] if tag in sub else ifd0.get(tag)
        except Exception:  # noqa: BLE001
            return None

    for time_tag, offset_tag in _TIME_TAGS:
        local = parse_exif_datetime(lookup(time_tag))
        if local is not None:
            zone = parse_exif_offset(lookup(offset_tag)) or CHINA_STANDARD_TIME
            return local.replace(tzinfo=zone).astimezone(timezone.utc)
    return None


def parse_gps(gps: dict[int, Any]) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees, or None when absent or implausible."""
    lat = _coordinate(gps.get(GPS_LATITUDE), gps.get(GPS_LATITUDE_REF), "NS", 90.0)
    lon = _coordinate(gps.get(GPS_LONGITUDE), gps.get(GPS_LONGITUDE_REF), "EW", 180.0)
    if lat is None or lon is None or (lat == 0.0 and lon == 0.0):
        return None  # 0/0 is what phones write when they have no fix
    return (lat, lon)


def _coordinate(value: object, ref: object, refs: str, limit: float) -> float | None:
    """Degrees/minutes/seconds rationals plus a hemisphere letter to signed degrees."""
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        parts = tuple(value) if isinstance(value, (tuple, list)) else (value,)
        if not 1 <= len(parts) <= 3:
            return None
        numbers = [float(part) for part in parts]
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if not all(math.isfinite(n) and n >= 0 for n in numbers):
        return None
    degrees = sum(n / 60**i for i, n in enumerate(numbers))
    hemisphere = _text(ref).upper() if ref is not None else refs[0]
    if degrees > limit or hemisphere not in (refs[0], refs[1], ""):
        return None
    return round(-degrees if hemisphere == refs[1] else degrees, 7)


def _text(value: object) -> str:
    """A tag value as stripped text ('' for anything that is not text)."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return ""
    return value.strip("\x00 \t\r\n")
