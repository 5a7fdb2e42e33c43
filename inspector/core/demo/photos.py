"""Generated stand-in photos for demo data: a small pool drawn and hashed once, reused as they are.

Every use of a pool picture stores the same bytes under the same SHA-256, as when an inspector
attaches one picture to several hazards: no per-photo copy or hash, so big demo databases build
fast. A hazard's own photos are different pictures (the pool is at least as large as the photos
asked per hazard), so they never look like a photo attached twice. Also
:class:`PhotoRows`: photo rows written by one statement from a writer thread.
"""

from __future__ import annotations

import hashlib
import io
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


class PhotoRows:
    """Photo rows to write with one ``INSERT … SELECT`` (a writer thread: see :meth:`insert`).

    sqlite3's ``executemany`` gives up the GIL for every row's step and takes it back for the next row's
    parameters; with the generator's thread busy in Python meanwhile, every row of ~20 KB waited for the GIL
    (3,000 photo rows: 0.11 s alone, 0.60 s beside a busy thread). So the pictures, a few distinct ones however
    many rows use them, go into one temporary table and the other columns, small, into another; one statement
    joins them in C, in the rows' order."""

    def __init__(self, rows: list[dict]):
        from inspector.db.bulk import stored_rows

        columns, stored = stored_rows("photo", rows)
        blobs = [columns.index("jpeg"), columns.index("thumbnail")] if stored else []
        self.columns = [c for n, c in enumerate(columns) if n not in blobs]
        kept = [n for n in range(len(columns)) if n not in blobs]
        pictures: dict[tuple[int, int], int] = {}  # by identity: a pool picture is one bytes object wherever used
        self.pictures: list[tuple[int, bytes, bytes]] = []
        self.rows: list[tuple] = []
        for row in stored:
            key = (id(row[blobs[0]]), id(row[blobs[1]]))
            number = pictures.get(key)
            if number is None:
                number = pictures[key] = len(self.pictures)
                self.pictures.append((number, row[blobs[0]], row[blobs[1]]))
            self.rows.append((*[row[n] for n in kept], number))

    def insert(self, connection) -> int:
        """Write the rows in the caller's transaction; returns how many."""
        from inspector.db.bulk import insert_tuples

        if not self.rows:
            return 0
        names = ", ".join(f'"{c}"' for c in self.columns)
        selected = ", ".join(f'm."{c}"' for c in self.columns)
        connection.execute("CREATE TEMP TABLE demo_picture (n INTEGER PRIMARY KEY, jpeg BLOB, thumbnail BLOB)")
        connection.execute(f"CREATE TEMP TABLE demo_photo ({names}, picture INTEGER)")
        try:
            connection.executemany("INSERT INTO temp.demo_picture VALUES (?, ?, ?)", self.pictures)
            insert_tuples(connection, "temp.demo_photo", self.rows, len(self.columns) + 1)  # one statement: no GIL per row
            written = connection.execute(
                f"INSERT INTO photo ({names}, jpeg, thumbnail) SELECT {selected}, p.jpeg, p.thumbnail "
                "FROM temp.demo_photo AS m CROSS JOIN temp.demo_picture AS p ON p.n = m.picture ORDER BY m.rowid").rowcount
        finally:
            connection.execute("DROP TABLE temp.demo_photo")
            connection.execute("DROP TABLE temp.demo_picture")
        if written != len(self.rows):
            raise RuntimeError(f"demo photos: {written} written, {len(self.rows)} expected")
        return written
