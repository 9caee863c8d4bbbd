"""The PDFs' type: DejaVu Sans (regular and bold) shipped in resources/fonts with its licence.

A font shipped with the app, not a system one, so that Gaelic and Scots names, accents, curly
quotes and dashes print the same on every machine (reportlab's built-in Helvetica has none of
them beyond Latin-1).
"""

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from casereader.errors import CaseReaderError
from casereader.paths import resource

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_registered = False


def register_fonts() -> None:
    """Register the shipped fonts with reportlab once per process (cheap after the first)."""
    global _registered
    if _registered:
        return
    for name, filename in FILES.items():
        path = resource("fonts", filename)
        if not path.is_file():
            raise CaseReaderError(
                f"The font {filename} is missing from {path.parent}; reinstall casereader."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> inside a paragraph picks the bold face; there is no italic face, so <i> stays upright
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    _registered = True
