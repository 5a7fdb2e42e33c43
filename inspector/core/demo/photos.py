"""Generated stand-in photos for demo data: a small pool drawn and hashed once, reused as they are.

Every use of a pool picture stores the same bytes under the same SHA-256, as when an inspector
attaches one picture to several hazards: no per-photo copy or hash, so big demo databases build
fast. A hazard's own photos are different pictures (the pool is at least as large as the photos
asked per hazard), so they never look like a photo attached twice. Also the demo's fast ids.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
from dataclasses import dataclass

POOL_SIZE = 8
SIZE = (800, 600)  # a notice's photo box is ~75 mm wide: 800 px print at ~270 dpi
#: Sensor noise blended in, and the JPEG quality: a grainy phone photo at about half the bytes of a noisier
#: one (15 KB instead of 30 KB); the 10,000-inspection demo stores ~31,000 hazard photos.
NOISE_BLEND = 0.05
QUALITY = 72


@dataclass(frozen=True)
class PoolPhoto:
    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str


def _draw(rng: random.Random, noise) -> PoolPhoto:
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", SIZE, tuple(rng.randrange(90, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        w, h = rng.randrange(20, 300), rng.randrange(20, 200)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.6 else draw.ellipse)([x, y, x + w, y + h], fill=colour)
    image = Image.blend(image.filter(ImageFilter.BoxBlur(1)), noise, NOISE_BLEND)
    jpeg = _jpeg(image, QUALITY)
    return PoolPhoto(jpeg, _jpeg(image.resize((256, 192)), 72), *SIZE, sha256(jpeg))


def _jpeg(image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def make_pool(seed: int, at_least: int = 1) -> list[PoolPhoto]:
    """:data:`POOL_SIZE` pictures (or ``at_least``), sharing one sensor-noise layer (drawing it is the slow part)."""
    from PIL import Image

    rng = random.Random(seed)
    noise = Image.effect_noise(SIZE, 18).convert("RGB")
    return [_draw(rng, noise) for _ in range(max(POOL_SIZE, at_least))]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}  # RFC 4122 variant bits


def uuid4_texts():
    """Random version-4 UUIDs as text, like ``str(uuid.uuid4())`` (from os.urandom, in blocks: 3x faster)."""
    while True:
        block = os.urandom(16 * 4096).hex()
        for start in range(0, len(block), 32):
            h = block[start:start + 32]
            yield f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"
