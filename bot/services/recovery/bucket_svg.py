"""The stress bucket drawn as a simple, accessible SVG (no libraries, no scripts, no images).

A bucket with water in the middle; on the left, what fills it (arrows pour in at the top); on
the right, the signs it is overflowing (drops over the rim) and what lets water out (a tap at
the bottom). Every label is real text, so it can be read, zoomed and found. The picture has
role="img", a <title> and a <desc> that says everything in words, for screen readers.
The person's words are escaped for XML; characters XML cannot hold are dropped.
"""

from __future__ import annotations

import re
import textwrap
from xml.sax.saxutils import escape, quoteattr

WIDTH = 710
LINE = 20
COLUMN_CHARS = 26  # characters per line in a label column
MAX_LINES_PER_PART = 14
INK = "#1a1a1a"
WATER = "#9ecae1"
WATER_EDGE = "#1f5f8b"
# XML 1.0 allows tab, newline, carriage return and most of the rest; not other control codes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", " ".join(str(text).split()))


def _lines(items: list[str], empty: str) -> list[str]:
    """Each item as "- item", wrapped to the column; cut short (with "...") if very long."""
    if not items:
        return [empty]
    lines: list[str] = []
    for item in items:
        wrapped = textwrap.wrap(_clean(item), COLUMN_CHARS - 2, break_long_words=True) or [""]
        lines += [("- " if index == 0 else "  ") + part for index, part in enumerate(wrapped)]
    if len(lines) > MAX_LINES_PER_PART:
        lines = lines[: MAX_LINES_PER_PART - 1] + ["..."]
    return lines


def _text_block(x: int, y: int, heading: str, lines: list[str], anchor: str = "start") -> str:
    out = [f'<text x="{x}" y="{y}" font-weight="bold" text-anchor="{anchor}">{escape(_clean(heading))}</text>']
    for number, line in enumerate(lines, start=1):
        out.append(
            f'<text x="{x}" y="{y + number * LINE}" text-anchor="{anchor}" xml:space="preserve">{escape(line)}</text>'
        )
    return "\n".join(out)


def bucket_svg(
    fills: list[str],
    overflow: list[str],
    lets_out: list[str],
    *,
    title: str,
    description: str,
    labels: dict[str, str],
    empty: str,
    id_prefix: str = "bucket",
) -> str:
    """The picture as an SVG string. `labels` has a heading for fills, overflow and lets_out;
    `description` is the whole picture in words (the <desc>)."""
    fill_lines = _lines(fills, empty)
    overflow_lines = _lines(overflow, empty)
    out_lines = _lines(lets_out, empty)
    top = 40
    bucket_top, bucket_bottom = 150, 400
    lets_out_y = max(320, top + (len(overflow_lines) + 2) * LINE + 20)
    height = max(
        bucket_bottom + 60,
        top + (len(fill_lines) + 1) * LINE + 40,
        lets_out_y + (len(out_lines) + 1) * LINE + 40,
    )
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby={quoteattr(f"{title_id} {desc_id}")} '
        f'font-family="Arial, Helvetica, sans-serif" font-size="15" fill="{INK}">',
        f"<title id={quoteattr(title_id)}>{escape(_clean(title))}</title>",
        f"<desc id={quoteattr(desc_id)}>{escape(_clean(description))}</desc>",
        # Water, then the bucket's outline over it.
        f'<polygon points="262,230 418,230 405,{bucket_bottom} 275,{bucket_bottom}" fill="{WATER}" stroke="none"/>',
        f'<line x1="262" y1="230" x2="418" y2="230" stroke="{WATER_EDGE}" stroke-width="3"/>',
        f'<polygon points="250,{bucket_top} 430,{bucket_top} 405,{bucket_bottom} 275,{bucket_bottom}" '
        f'fill="none" stroke="{INK}" stroke-width="4" stroke-linejoin="round"/>',
        f'<path d="M250,{bucket_top} Q340,{bucket_top - 70} 430,{bucket_top}" fill="none" stroke="{INK}" stroke-width="2"/>',
        # What fills it: arrows pouring in at the top.
        f'<path d="M215,110 Q260,95 295,140" fill="none" stroke="{INK}" stroke-width="3"/>',
        f'<polygon points="295,140 283,133 297,127" fill="{INK}"/>',
        # Overflowing: drops over the rim.
        f'<path d="M430,{bucket_top} q12,10 10,28" fill="none" stroke="{WATER_EDGE}" stroke-width="3"/>',
        f'<circle cx="442" cy="{bucket_top + 40}" r="5" fill="{WATER_EDGE}"/>',
        f'<circle cx="447" cy="{bucket_top + 60}" r="4" fill="{WATER_EDGE}"/>',
        # The tap that lets water out.
        f'<rect x="390" y="350" width="50" height="14" fill="{INK}"/>',
        f'<rect x="428" y="364" width="12" height="16" fill="{INK}"/>',
        f'<path d="M434,384 v16" stroke="{WATER_EDGE}" stroke-width="4" stroke-dasharray="4 4"/>',
        _text_block(10, top, labels["fills"], fill_lines),
        _text_block(470, top, labels["overflow"], overflow_lines),
        _text_block(470, lets_out_y, labels["lets_out"], out_lines),
        "</svg>",
    ]
    return "\n".join(parts)
