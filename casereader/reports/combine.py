"""The combined summaries file put together from its laid-out parts (qpdf, through pikepdf):
the contents pages first, then each part's pages, with one outline over them all."""

from collections.abc import Sequence
from contextlib import ExitStack
from io import BytesIO

import pikepdf

from casereader.reports.document import Laid


def combine(contents: Laid, parts: Sequence[Laid]) -> bytes:
    """Append the parts' pages to the contents file and rebuild the outline to cover them.

    The same parts give the same bytes (qpdf's deterministic /ID; the objects are numbered in
    page order)."""
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(BytesIO(contents.data)))
        entries = [
            (page - 1, title, level, closed) for page, _, title, level, closed in (contents.outline)
        ]
        offset = contents.pages
        for part in parts:
            source = stack.enter_context(pikepdf.open(BytesIO(part.data)))
            pdf.pages.extend(source.pages)
            entries += [
                (offset + page - 1, title, level, closed)
                for page, _, title, level, closed in part.outline
            ]
            offset += part.pages
        with pdf.open_outline() as outline:
            outline.root.clear()
            parents: list[pikepdf.OutlineItem] = []
            for index, title, level, closed in entries:
                item = pikepdf.OutlineItem(title, index)
                item.is_closed = closed
                del parents[level:]
                (parents[-1].children if parents else outline.root).append(item)
                parents.append(item)
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
        buffer = BytesIO()
        pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue()
