"""Generated stand-in photos for demo data: a small pool drawn once, made unique per use.

Each use gets distinct bytes (and so a distinct SHA-256) by carrying its own id in a JPEG
comment segment, which costs nothing to decode and keeps big demo databases fast to build.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass

POOL_SIZE = 8
SIZE = (800, 600)


@dataclass(frozen=True)
class PoolPhoto:
    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int


def _draw(rng: random.Random) -> PoolPhoto:
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", SIZE, tuple(rng.randrange(90, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        w, h = rng.randrange(20, 300), rng.randrange(20, 200)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.6 else draw.ellipse)([x, y, x + w, y + h], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(SIZE, 18).convert("RGB")
    image = Image.blend(image, noise, 0.12)
    return PoolPhoto(_jpeg(image, 80), _jpeg(image.resize((256, 192)), 75), *SIZE)


def _jpeg(image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def make_pool(seed: int) -> list[PoolPhoto]:
    rng = random.Random(seed)
    return [_draw(rng) for _ in range(POOL_SIZE)]


def unique_copy(jpeg: bytes, tag: str) -> bytes:
    """The same picture with a COM segment carrying ``tag`` right after the SOI marker."""
    payload = tag.encode("utf-8")[:60000]
    segment = b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
