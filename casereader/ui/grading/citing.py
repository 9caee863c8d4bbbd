"""Citing a document in an evidence note (the label: ui/documents/citation.py)."""

from PySide6.QtCore import Slot

from casereader.errors import CaseReaderError
from casereader.store import answers
from casereader.store.models import Document, EvidenceLink
from casereader.ui.documents.citation import citation_label


class PanelCiting:
    """Mixed into the template panel: cite into a note, open and remove citations."""

    def _cite_target(self) -> str | None:
        stage = self.current_stage()
        if stage is None:
            return None
        last = self._last_note_key
        if last is not None and self._template.stage_of(last).id == stage.id:
            return last
        grade = stage.grade_item
        return grade.key if grade is not None else None

    @Slot(object, int)
    @Slot(object, int, str)
    def cite(self, document: Document, page: int, where: str = "") -> EvidenceLink | None:
        """Cite a document page (or, ``where``, a Word document's section and paragraph) in the
        note that last had focus (else the stage's grade item)."""
        if self._store is None:
            return None
        item_key = self._cite_target()
        if item_key is None:
            self._say("Click into an item's evidence note first, then cite the page.")
            return None
        label = citation_label(document, page, where)
        try:
            link = answers.add_evidence_link(
                self._store,
                self._case_ref,
                item_key,
                document.sha256,
                page if document.page_count else None,
                label,
            )
        except CaseReaderError as error:
            self._say(f"Not cited: {error}")
            return None
        self._refresh_links(item_key)
        item = self._template.item(item_key)
        self._say(f"Cited [{label}] in “{item.label}”.")
        return link

    def _refresh_links(self, item_key: str) -> None:
        links = answers.evidence_links(self._store, self._case_ref, item_key)
        self._links[item_key] = links
        self.card(item_key).set_links(links)

    @Slot(object)
    def _link_activated(self, link: EvidenceLink) -> None:
        self.evidence_opened.emit(link.document_sha256, link.page or 1)

    @Slot(object)
    def _link_remove_requested(self, link: EvidenceLink) -> None:
        answers.remove_evidence_link(self._store, link.id)
        self._refresh_links(link.item_key)
        self._cards[link.item_key].note.edit.setFocus()
        self._say(f"Removed [{link.label}].")
