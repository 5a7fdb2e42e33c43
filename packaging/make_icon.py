"""Draw the application icon (resources/icons/inspector.png, 256 px) with Pillow and the bundled font.

Run once after changing the design: ``python packaging/make_icon.py``; the PNG is committed, and the
build derives the Windows .ico from it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SIZE = 256
BLUE, WHITE, ORANGE = (21, 101, 192), (255, 255, 255), (255, 143, 0)


def draw(size: int = SIZE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    s = size / 256
    shield = [(128 * s, 12 * s), (228 * s, 48 * s), (220 * s, 150 * s), (128 * s, 244 * s), (36 * s, 150 * s),
              (28 * s, 48 * s)]
    pen.polygon(shield, fill=BLUE)
    pen.line(shield + [shield[0]], fill=WHITE, width=round(8 * s), joint="curve")
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "wqy-microhei.ttc"), round(104 * s), index=0)
    pen.text((128 * s, 98 * s), "检", font=font, fill=WHITE, anchor="mm")
    pen.line([(92 * s, 180 * s), (120 * s, 206 * s), (168 * s, 164 * s)], fill=ORANGE, width=round(14 * s),
             joint="curve")
    return image


if __name__ == "__main__":
    target = ROOT / "resources" / "icons" / "inspector.png"
    target.parent.mkdir(exist_ok=True)
    draw().save(target, optimize=True)
    print(target)
