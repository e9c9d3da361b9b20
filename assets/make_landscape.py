#!/usr/bin/env python3
"""Writes assets/landscape.png: a smooth, natural-looking picture made by the ConvScope
project (a sky, a blurred sun, two ranges of hills, a lake with a soft reflection),
dedicated to the public domain (CC0 1.0, see landscape.LICENSE). Smooth on purpose: a
smooth picture keeps almost no energy at the stride frequencies by itself, so the
checkerboard an upsampler adds stands out in its spectrum. Pure Python, deterministic.
Run: python3 assets/make_landscape.py assets/landscape.png"""
import math
import struct
import sys
import zlib

SIZE = 256


def smoothstep(a, b, x):
    t = min(1.0, max(0.0, (x - a) / (b - a)))
    return t * t * (3 - 2 * t)


def mix(c0, c1, t):
    return tuple(a + (b - a) * t for a, b in zip(c0, c1))


def pixel(x, y):
    u, v = x / SIZE, y / SIZE
    # Sky: deep blue at the top to a warm haze at the horizon.
    c = mix((0.22, 0.42, 0.78), (0.98, 0.80, 0.62), smoothstep(0.0, 0.55, v))
    # Sun: a soft disc with a glow.
    d = math.hypot(u - 0.70, v - 0.30)
    c = mix(c, (1.0, 0.93, 0.70), 0.85 * math.exp(-(d / 0.07) ** 2) + 0.25 * math.exp(-(d / 0.25) ** 2))
    # Far hills: a low-frequency ridge, bluish, softened edge.
    far = 0.48 + 0.05 * math.sin(6.0 * u + 0.5) + 0.025 * math.sin(15.0 * u + 2.0)
    c = mix(c, mix((0.45, 0.52, 0.66), (0.36, 0.44, 0.56), smoothstep(far, 0.75, v)), smoothstep(far - 0.012, far + 0.012, v))
    # Near hills: greener, darker, shaded across.
    near = 0.60 + 0.07 * math.sin(4.0 * u + 2.6) + 0.02 * math.sin(11.0 * u)
    green = mix((0.38, 0.58, 0.30), (0.16, 0.34, 0.18), smoothstep(near, 0.9, v) * (0.6 + 0.4 * u))
    c = mix(c, green, smoothstep(near - 0.015, near + 0.015, v))
    # Lake: the lower part reflects a darkened sky, with gentle ripples.
    shore = 0.80 + 0.02 * math.sin(9.0 * u + 1.0)
    ripple = 0.04 * math.sin(40.0 * v + 3.0 * math.sin(5.0 * u))
    lake = mix((0.30, 0.45, 0.70), (0.60, 0.62, 0.70), smoothstep(0.80, 1.0, v) + ripple)
    lake = mix(lake, (0.95, 0.85, 0.65), 0.5 * math.exp(-((u - 0.70) / 0.05) ** 2) * smoothstep(shore, 1.0, v))
    c = mix(c, lake, smoothstep(shore - 0.01, shore + 0.01, v))
    return tuple(min(255, max(0, int(round(255 * ch)))) for ch in c)


def main(path):
    rows = bytearray()
    for y in range(SIZE):
        rows.append(0)  # PNG filter type 0 (none) for this row
        for x in range(SIZE):
            rows.extend(pixel(x + 0.5, y + 0.5))

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "landscape.png")
