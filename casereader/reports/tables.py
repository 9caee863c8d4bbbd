"""Tables as every printed document draws them: plain-string cells (quick), a light grid."""

from reportlab.platypus import Flowable, Table, TableStyle

from casereader.reports.fonts import BOLD, REGULAR
from casereader.reports.styles import FRAME_WIDTH, MUTED, RULE, SHADE, wrapped

PAD = 4  # a table cell's left and right padding


def when(stamp: str | None) -> str:
    """An ISO timestamp as "2026-03-12 14:05" (UTC, as stored); "—" for none."""
    if not stamp:
        return "—"
    return stamp[:16].replace("T", " ")


def table_style(header_rows: int = 1) -> TableStyle:
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), REGULAR, 8.5, 10.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    if header_rows:
        style.add("FONT", (0, 0), (-1, header_rows - 1), BOLD, 8.5, 10.5)
        style.add("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE)
    return style


def plain_table(header: list[str], rows: list[list], shares: list[float], muted_col=None) -> Table:
    widths = [s * FRAME_WIDTH for s in shares]
    pairs = zip(header, widths, strict=True)
    data: list[list] = [[wrapped(h, w - 2 * PAD, BOLD) for h, w in pairs]]
    for row in rows:
        data.append(
            [
                c if isinstance(c, Flowable) else wrapped(str(c), w - 2 * PAD)
                for c, w in zip(row, widths, strict=True)
            ]
        )
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=1)
    style = table_style()
    if muted_col is not None:
        style.add("TEXTCOLOR", (muted_col, 1), (muted_col, -1), MUTED)
    table.setStyle(style)
    return table
