"""Lossless removal of metadata from a JPEG file, by walking its marker segments.

Used when an already-small, upright JPEG would only grow if re-encoded: its pixels are
kept bit for bit, while EXIF (GPS, camera serials, the EXIF thumbnail), XMP, IPTC and
comments are dropped, as are extra images appended after the end marker (MPO files).
Segments that decoding needs are kept: JFIF, ICC colour profile, Adobe colour transform,
tables, frame and scan headers with their entropy-coded data.
"""

from __future__ import annotations

_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA
_APP0, _APP2, _APP14, _COM = 0xE0, 0xE2, 0xEE, 0xFE
# APPn payloads worth keeping, by marker: the identifier each must start with.
_KEPT_APP_SEGMENTS = {
    _APP0: b"JFIF\x00",
    _APP2: b"ICC_PROFILE\x00",
    _APP14: b"Adobe",
}


def strip_jpeg_metadata(data: bytes) -> bytes | None:
    """Return ``data`` without metadata segments, or None if it is not a clean JPEG.

    None means "do not use": no SOI, a segment running past the end, or no EOI.
    """
    if not data.startswith(b"\xff\xd8"):
        return None
    out = bytearray(b"\xff\xd8")
    pos, end = 2, len(data)
    while pos < end:
        if data[pos] != 0xFF:
            return None
        while pos < end and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= end:
            return None
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            out += b"\xff\xd9"
            return bytes(out)
        if marker == _SOI or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            return None  # stray marker outside a scan: not a file we want to copy
        if pos + 2 > end:
            return None
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            return None
        payload = data[pos + 2 : pos + length]
        if _keep_segment(marker, payload):
            out += bytes((0xFF, marker)) + data[pos : pos + length]
        pos += length
        if marker == _SOS:
            scan_end = _entropy_data_end(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    return None


def _keep_segment(marker: int, payload: bytes) -> bool:
    """True for segments needed to decode the image, False for metadata."""
    if marker == _COM:
        return False
    if 0xE0 <= marker <= 0xEF:
        prefix = _KEPT_APP_SEGMENTS.get(marker)
        return prefix is not None and payload.startswith(prefix)
    return True


def _entropy_data_end(data: bytes, pos: int) -> int:
    """Index of the first marker after entropy-coded data starting at ``pos``.

    Inside a scan 0xFF is followed by 0x00 (byte stuffing) or a restart marker
    RST0..RST7; anything else starts the next marker segment.
    """
    end = len(data)
    index = data.find(b"\xff", pos)
    while index != -1 and index + 1 < end:
        following = data[index + 1]
        if following != 0x00 and not 0xD0 <= following <= 0xD7:
            return index
        index = data.find(b"\xff", index + 2)
    return end
