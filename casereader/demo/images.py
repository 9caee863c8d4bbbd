"""'Scanned page' images for the demo.

``typed_scan`` types real text onto a page with the shipped DejaVu Sans (Pillow), turns it a
little and adds scanner noise, so that text recognition has something true to read and its
result can be measured against the known text. The standard-library writers below (bars where
lines of text would be, on an 8-pixel grid so the JPEG writer can describe each 8x8 block by
its average alone) stay for tests that need an image without Pillow.
"""

from __future__ import annotations

import random
import struct
import zlib

A4_INCHES = (8.27, 11.69)
WIDTH = 792  # about A4 at 96 dpi, rounded to the 8-pixel grid
HEIGHT = 1120
_MARGIN = 64


def scanned_page(rng: random.Random, width: int = WIDTH, height: int = HEIGHT) -> list[bytes]:
    """Rows of 8-bit grey pixels: paper with a heading bar and paragraphs of text-line bars."""
    paper = 226 + rng.randint(0, 10)
    cells = [[paper] * (width // 8) for _ in range(height // 8)]
    y = _MARGIN // 8
    usable = (width - 2 * _MARGIN) // 8
    first = _MARGIN // 8

    def bar(row: int, length: int, ink: int) -> None:
        for col in range(first, first + length):
            cells[row][col] = ink

    bar(y, usable // 2, 30)  # heading
    y += 3
    while y < height // 8 - _MARGIN // 8:
        for _ in range(rng.randint(2, 7)):
            if y >= height // 8 - _MARGIN // 8:
                break
            bar(y, rng.randint(usable * 2 // 3, usable), 50 + rng.randint(0, 30))
            y += 2
        y += 1  # paragraph gap
    # Scanner shading: the right-hand edge is a little darker.
    for row in cells:
        row[-1] = max(row[-1] - 24, 0)
        row[-2] = max(row[-2] - 12, 0)
    rows = []
    for cell_row in cells:
        row = b"".join(bytes([value]) * 8 for value in cell_row)
        rows.extend([row] * 8)
    return rows


def png_bytes(rows: list[bytes]) -> bytes:
    """An 8-bit greyscale PNG of these rows."""
    height, width = len(rows), len(rows[0])

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"pHYs", struct.pack(">IIB", 3780, 3780, 1))  # 96 dpi in pixels per metre
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def _packbits(row: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(row)
    while i < n:
        run = 1
        while i + run < n and run < 128 and row[i + run] == row[i]:
            run += 1
        if run > 1:
            out += bytes([257 - run, row[i]])
            i += run
            continue
        start = i
        while i < n and i - start < 128 and (i + 1 >= n or row[i + 1] != row[i]):
            i += 1
        out += bytes([i - start - 1]) + row[start:i]
    return bytes(out)


def tiff_bytes(rows: list[bytes]) -> bytes:
    """A baseline greyscale TIFF (PackBits, one strip) of these rows."""
    height, width = len(rows), len(rows[0])
    packed: dict[bytes, bytes] = {}  # a page repeats each row eight times
    strip = b"".join(packed.get(row) or packed.setdefault(row, _packbits(row)) for row in rows)
    entries = [
        (256, 4, 1, width),  # ImageWidth, LONG
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 32773),  # Compression: PackBits
        (262, 3, 1, 1),  # Photometric: black is zero
        (273, 4, 1, 0),  # StripOffsets, filled below
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, len(strip)),  # StripByteCounts
        (282, 5, 1, 0),  # XResolution, RATIONAL at an offset
        (283, 5, 1, 0),  # YResolution
        (296, 3, 1, 2),  # ResolutionUnit: inch
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    rational_at = 8 + ifd_size
    strip_at = rational_at + 8
    out = bytearray(b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(entries)))
    for tag, kind, count, value in entries:
        if tag == 273:
            value = strip_at
        elif tag in (282, 283):
            value = rational_at
        if kind == 3:
            out += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, kind, count, value)
    out += struct.pack("<I", 0)  # no further pages
    out += struct.pack("<II", 96, 1)
    return bytes(out) + strip


# JPEG: standard luminance DC Huffman table (ITU T.81 Annex K.3), as (length, code) per category.
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_CODES = (
    (2, 0b00), (3, 0b010), (3, 0b011), (3, 0b100), (3, 0b101), (3, 0b110),
    (4, 0b1110), (5, 0b11110), (6, 0b111110), (7, 0b1111110), (8, 0b11111110), (9, 0b111111110),
)  # fmt: skip
_QUANT = 8  # a constant block's DC coefficient is 8 * (value - 128), so this keeps it exact


def jpeg_bytes(rows: list[bytes]) -> bytes:
    """A baseline greyscale JPEG of rows that are constant over every 8x8 block."""
    height, width = len(rows), len(rows[0])
    if height % 8 or width % 8:
        raise ValueError("the page must be a whole number of 8x8 blocks")
    bits, nbits = 0, 0
    data = bytearray()

    def put(value: int, length: int) -> None:
        nonlocal bits, nbits
        bits = (bits << length) | value
        nbits += length
        while nbits >= 8:
            nbits -= 8
            byte = (bits >> nbits) & 0xFF
            data.append(byte)
            if byte == 0xFF:
                data.append(0)  # byte stuffing
        bits &= (1 << nbits) - 1

    previous = 0
    for y in range(0, height, 8):
        row = rows[y]
        for x in range(0, width, 8):
            dc = row[x] - 128
            diff, previous = dc - previous, dc
            size = abs(diff).bit_length()
            put(_DC_CODES[size][1], _DC_CODES[size][0])
            if size:
                put(diff if diff > 0 else diff + (1 << size) - 1, size)
            put(0, 1)  # end of block: every AC coefficient is zero
    if nbits:
        put((1 << (8 - nbits)) - 1, 8 - nbits)

    def segment(marker: int, body: bytes) -> bytes:
        return struct.pack(">HH", marker, len(body) + 2) + body

    jfif = b"JFIF\x00\x01\x01\x01" + struct.pack(">HH", 96, 96) + b"\x00\x00"
    dqt = b"\x00" + bytes([_QUANT] * 64)
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    dht_dc = b"\x00" + bytes(_DC_BITS) + bytes(range(12))
    # The AC table holds one symbol, end-of-block (0x00), with the one-bit code 0.
    dht_ac = b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    sos = b"\x01\x01\x00\x00\x3f\x00"
    return (
        b"\xff\xd8"
        + segment(0xFFE0, jfif)
        + segment(0xFFDB, dqt)
        + segment(0xFFC0, sof)
        + segment(0xFFC4, dht_dc)
        + segment(0xFFC4, dht_ac)
        + segment(0xFFDA, sos)
        + bytes(data)
        + b"\xff\xd9"
    )


def typed_scan(
    lines: list[str],
    rng: random.Random,
    dpi: int = 200,
    skew: float = 0.6,
    noise: float = 0.002,
    size_pt: float = 11.0,
):
    """A greyscale Pillow image of an A4 page with LINES typed on it (a line starting '# ' is
    a bold heading; '' a paragraph gap), wrapped to the margins, turned by SKEW degrees, with
    NOISE (the share of pixels flipped to specks) and a slight scanner blur."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    from casereader.paths import resource

    width, height = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
    paper = 236 + rng.randint(0, 12)
    page = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(page)
    px = round(size_pt / 72 * dpi)
    regular = ImageFont.truetype(str(resource("fonts", "DejaVuSans.ttf")), px)
    bold = ImageFont.truetype(str(resource("fonts", "DejaVuSans-Bold.ttf")), round(px * 1.15))
    margin = dpi  # one inch
    room = width - 2 * margin
    y = margin
    for line in lines:
        font = bold if line.startswith("# ") else regular
        text = line.removeprefix("# ")
        if not text:
            y += px
            continue
        for wrapped in _wrap(text, font, room):
            if y + px * 1.5 > height - margin:
                break
            draw.text((margin, y), wrapped, fill=20 + rng.randint(0, 30), font=font)
            y += round(px * 1.5)
    if skew:
        page = page.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=paper)
    page = page.filter(ImageFilter.GaussianBlur(0.5 * dpi / 200))
    if noise:
        specks = ImageDraw.Draw(page)
        count = int(width * height * noise)
        for shade in (40, 90, 255):
            specks.point(
                [(rng.randrange(width), rng.randrange(height)) for _ in range(count // 3)],
                fill=shade,
            )
    return page


def _wrap(text: str, font, room: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        attempt = f"{current} {word}".strip()
        if current and font.getlength(attempt) > room:
            lines.append(current)
            current = word
        else:
            current = attempt
    if current:
        lines.append(current)
    return lines


def encode_scan(image, fmt: str, dpi: int) -> bytes:
    """A Pillow image as PNG, JPEG or TIFF bytes, its resolution recorded."""
    from io import BytesIO

    out = BytesIO()
    if fmt == "png":
        image.save(out, "PNG", dpi=(dpi, dpi), compress_level=6)
    elif fmt == "jpeg":
        image.save(out, "JPEG", dpi=(dpi, dpi), quality=75)
    else:
        image.save(out, "TIFF", dpi=(dpi, dpi), compression="tiff_adobe_deflate")
    return out.getvalue()


_SENTENCES = (
    "Officers attended the family home following a call from a neighbour about shouting.",
    "The child was seen and spoken to alone and said that she felt safe at home.",
    "An interagency referral discussion was held the next morning with health and education.",
    "The mother said the pressure of rent arrears had made things worse over the winter.",
    "A referral to the money advice service was agreed and made on 14 March 2024.",
    "The school reports attendance of 87% this term, with two late arrivals each week.",
    "The health visitor completed a developmental check; growth is on the expected centile.",
    "Contact with the father takes place at the family centre on Saturday mornings.",
    "The core group agreed that the plan should continue for another three months.",
    "The social worker will visit fortnightly and review the chronology before the hearing.",
)


def record_lines(rng: random.Random, paragraphs: int = 4, needles: tuple[str, ...] = ()):
    """Lines of a made-up record (heading, then paragraphs of known sentences) to type onto a
    scan; each NEEDLE word is placed in its own sentence so that search can look for it."""
    lines = ["# Police concern report", ""]
    extra = [f"The worker noted {word} in the record of the visit." for word in needles]
    for n in range(paragraphs):
        sentences = [rng.choice(_SENTENCES) for _ in range(3)]
        if n < len(extra):
            sentences.insert(1, extra[n])
        lines += [" ".join(sentences), ""]
    for sentence in extra[paragraphs:]:
        lines += [sentence, ""]
    return lines


def plain(lines: list[str]) -> str:
    """The text a reader sees on a page typed from LINES (without the heading marks)."""
    return "\n".join(line.removeprefix("# ") for line in lines)
