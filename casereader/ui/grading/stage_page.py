"""One stage of the template as a page: title, quality indicators, guidance, its item cards."""

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.template import Stage, Template
from casereader.store.models import Answer, EvidenceLink
from casereader.ui.grading.editors import make_editor
from casereader.ui.grading.grade import GradeEditor
from casereader.ui.grading.items import ItemCard, caption


class StagePage(QScrollArea):
    """One stage: title, quality indicators, collapsible guidance, then its item cards."""

    guidance_toggled = Signal(bool)
    tabbed_past_end = Signal()  # Tab on the stage's last control: on to the next stage

    def __init__(self, stage: Stage, template: Template, guidance_shown: bool, parent=None):
        super().__init__(parent)
        self.stage = stage
        self.has_next = False  # whether a stage follows (Tab then goes on into it)
        self._leaving = False
        # the page itself is no Tab stop: the first Tab lands on Guidance, a visible control
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # the items reflow to the width (answer buttons wrap), so only vertical scrolling
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(f"Stage: {stage.title}")
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 6, 10, 10)
        layout.setSpacing(4)
        title = caption(stage.title, content)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(f"Stage {stage.title}")
        layout.addWidget(title)
        if stage.indicators:
            words = "Quality indicator" + ("s " if len(stage.indicators) > 1 else " ")
            layout.addWidget(caption(words + ", ".join(stage.indicators), content, small=True))
        self.guidance_button = QToolButton(content)
        self.guidance_button.setText("Guidance")
        self.guidance_button.setCheckable(True)
        self.guidance_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.guidance_button.setAutoRaise(True)
        self.guidance_button.setAccessibleName(f"Show guidance for {stage.title}")
        self.guidance = caption(stage.guidance.strip(), content)
        self.guidance.setAccessibleName(f"Guidance for {stage.title}")
        self.guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.guidance_button)
        layout.addWidget(self.guidance)
        self.guidance_button.toggled.connect(self._guidance_toggled)
        self.set_guidance_shown(guidance_shown)
        self.cards: dict[str, ItemCard] = {}
        for item in stage.items:
            line = QFrame(content)
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Plain)
            line.setForegroundRole(QPalette.ColorRole.Mid)
            layout.addWidget(line)
            if item.kind == "grade":
                editor = GradeEditor(item, template.scale)
            else:
                editor = make_editor(item, template.scale)
            card = ItemCard(item, editor, content)
            self.cards[item.key] = card
            layout.addWidget(card)
        layout.addStretch(1)
        self.setWidget(content)

    def fill(
        self,
        saved: dict[str, Answer],
        links: dict[str, list[EvidenceLink]],
        names: tuple[str, ...],
    ) -> None:
        """Show a case's saved answers, evidence links and identifier names on the cards."""
        for key, card in self.cards.items():
            answer = saved.get(key)
            card.note.set_names(names)
            card.set_links(links.get(key, []))
            if answer is None:
                card.set_answer(None, None, "")
            else:
                card.set_answer(answer.value, answer.agreed_value, answer.note)

    def set_guidance_shown(self, shown: bool) -> None:
        self.guidance_button.blockSignals(True)
        self.guidance_button.setChecked(shown)
        self.guidance_button.blockSignals(False)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.guidance_button.setArrowType(arrow)
        self.guidance.setVisible(shown)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt override
        focus = QApplication.focusWidget()
        leaving = forward and self.has_next and not self._leaving and self.isVisible()
        if leaving and focus is not None and self._is_last(focus):
            # hiding this page moves the focus on again: that is not the reader's Tab
            self._leaving = True
            try:
                self.tabbed_past_end.emit()
            finally:
                self._leaving = False
            return True
        return super().focusNextPrevChild(forward)

    def _is_last(self, widget: QWidget) -> bool:
        """Whether Tab from this widget would leave the page."""
        if not self.isAncestorOf(widget):
            return False
        candidate = widget.nextInFocusChain()
        while candidate is not None and candidate is not widget:
            if (
                candidate.isVisible()
                and candidate.isEnabled()
                and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                return not self.isAncestorOf(candidate)
            candidate = candidate.nextInFocusChain()
        return True

    @Slot(bool)
    def _guidance_toggled(self, shown: bool) -> None:
        self.set_guidance_shown(shown)
        self.guidance_toggled.emit(shown)
