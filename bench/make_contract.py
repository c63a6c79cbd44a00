#!/usr/bin/env python3
"""Writes the ~200 KB contract the API load test uploads (never committed; bench/run.sh makes it).

    python make_contract.py OUT.pdf [KILOBYTES]

Two A4 pages of reportlab text, like the story test's fixture, with a `{{signature_1}}` tag and
a noise image (incompressible) sized so that the file is about KILOBYTES (default 200) long.
"""
import os
import random
import sys

from PIL import Image
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

LOREM = (
    "The Supplier shall provide the Services described in Schedule 1 with reasonable skill and care. "
    "The Client shall pay the fees within thirty days of each invoice. Either party may terminate this "
    "agreement with one month's written notice."
)


def wrap(c, text, x, y, width, font="Helvetica", size=11, leading=15):
    line = ""
    for word in text.split():
        trial = (line + " " + word).strip()
        if c.stringWidth(trial, font, size) > width:
            c.drawString(x, y, line)
            y -= leading
            line = word
        else:
            line = trial
    if line:
        c.drawString(x, y, line)
        y -= leading
    return y


def noise(side):
    rng = random.Random(42)
    return Image.frombytes("RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3)))


def contract(path, kilobytes):
    rl_config.useA85 = 0  # binary streams: the image's bytes are the file's bytes
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    width, height = A4
    c.setTitle("Service agreement")
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, height - 90, "Service agreement")
    c.setFont("Helvetica", 11)
    y = height - 130
    for _ in range(4):
        y = wrap(c, LOREM, 72, y, width - 144) - 10
    # RGB noise does not compress: 3 bytes per pixel land in the file.
    side = max(16, int((max(kilobytes - 6, 1) * 1024 / 3) ** 0.5))
    c.drawImage(ImageReader(noise(side)), 72, y - 230, width=220, height=220)
    c.showPage()
    c.setFont("Helvetica", 11)
    y = height - 90
    for _ in range(3):
        y = wrap(c, LOREM, 72, y, width - 144) - 10
    c.drawString(72, y - 40, "Signed for the Client: {{signature_1}}")
    c.save()


if __name__ == "__main__":
    out = sys.argv[1]
    kb = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    contract(out, kb)
    print(f"wrote {out}: {os.path.getsize(out)} bytes")
