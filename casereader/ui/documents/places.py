"""Back and forward through the places read: (case, document, page), like a browser's history.

Opening a document or a case (from the list, a search hit, an evidence link) is a new place;
turning pages updates the current place, so Back returns to the page last read there.
"""

from dataclasses import dataclass, replace

MAX_PLACES = 200


@dataclass(frozen=True)
class Place:
    case_ref: str
    document_id: int | None
    page: int = 1


class PlaceHistory:
    """The places visited, with a current position."""

    def __init__(self):
        self._places: list[Place] = []
        self._at = -1

    def current(self) -> Place | None:
        return self._places[self._at] if self._at >= 0 else None

    def visit(self, place: Place) -> None:
        """Record a place: a page turn updates the current place, anything else is a new one."""
        now = self.current()
        if now is not None and now.case_ref == place.case_ref:
            if now.document_id == place.document_id or now.document_id is None:
                self._places[self._at] = place
                return
            if place.document_id is None:
                return  # the case again without a document: still where we were
        del self._places[self._at + 1 :]
        self._places.append(place)
        if len(self._places) > MAX_PLACES:
            del self._places[0]
        self._at = len(self._places) - 1

    def can_go_back(self) -> bool:
        return self._at > 0

    def can_go_forward(self) -> bool:
        return 0 <= self._at < len(self._places) - 1

    def back(self) -> Place | None:
        if not self.can_go_back():
            return None
        self._at -= 1
        return self._places[self._at]

    def forward(self) -> Place | None:
        if not self.can_go_forward():
            return None
        self._at += 1
        return self._places[self._at]

    def turn_page(self, page: int) -> None:
        """The page of the current place changed."""
        now = self.current()
        if now is not None:
            self._places[self._at] = replace(now, page=page)

    def clear(self) -> None:
        self._places, self._at = [], -1
