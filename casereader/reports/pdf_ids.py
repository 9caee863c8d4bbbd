"""Reproducible files from pdfium: a fixed creation date and an /ID made from the content."""

import hashlib
import re

_TRAILER_ID = re.compile(rb"/ID\[<([0-9A-Fa-f]{32})><([0-9A-Fa-f]{32})>\]")
_CREATED = re.compile(rb"/CreationDate\(D:\d{14}([^)]{0,8})\)")


def fixed_id(data: bytes) -> bytes:
    """pdfium stamps each saved file with the time and a random /ID; a fixed date and an id
    made from the content keep the files reproducible, as reportlab's invariant mode does
    (same lengths, so the cross-reference offsets stay right)."""
    data = _CREATED.sub(lambda m: b"/CreationDate(D:20000101000000" + m[1] + b")", data, count=1)
    tail_at = data.rfind(b"trailer")
    if tail_at < 0:
        return data
    body = data[:tail_at]
    digest = hashlib.sha256(body).hexdigest()[:32].upper().encode()
    tail = _TRAILER_ID.sub(b"/ID[<" + digest + b"><" + digest + b">]", data[tail_at:], count=1)
    return body + tail
