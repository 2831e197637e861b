"""The QR code an authenticator app scans, as an inline SVG element (segno).

Inline, rather than an image served from a view or a ``data:`` URI, so the page needs nothing
from the Content Security Policy: segno draws with presentation attributes (``stroke``,
``fill``), never ``style``.
"""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_code_svg(data: str, *, title: str) -> SafeString:
    """``data`` as a QR code, an ``<svg role="img">`` named by its ``<title>``.

    Dark on white with the four-module quiet zone the standard asks for, so it scans on any
    page background.
    """
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=4,
        border=4,
        dark="#0b0c0c",
        light="#ffffff",
        title=title,
        svgclass=None,
        lineclass=None,
    )
    # segno writes the markup (the title is escaped), and the data appears only as drawing.
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))
