"""What an import did: each file's outcome and the counts of recognised pages."""

from dataclasses import dataclass, field

from casereader.domain.wording import plural


@dataclass
class FileOutcome:
    path: str
    case_ref: str | None
    outcome: str  # imported | duplicate | skipped
    reason: str = ""
    document_id: int | None = None
    repaired: bool = False


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    stray_cases: list[str] = field(default_factory=list)
    cancelled: bool = False
    recognition: bool = True  # whether text recognition was on for this import
    recognised_pages: int = 0  # scanned pages whose text was recognised
    empty_pages: int = 0  # scanned pages where recognition found no text
    failed_pages: int = 0
    unrecognised_pages: int = 0  # scanned pages left without text: the engine is missing
    postponed_pages: int = 0  # scanned pages left for `casereader ocr`: the time ran out

    def _count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def imported(self) -> int:
        return self._count("imported")

    @property
    def duplicates(self) -> int:
        return self._count("duplicate")

    @property
    def repaired(self) -> list[FileOutcome]:
        return [f for f in self.files if f.repaired and f.outcome == "imported"]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.outcome == "skipped"]

    def to_json(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": [
                {"path": f.path, "case_ref": f.case_ref, "reason": f.reason} for f in self.skipped
            ],
            "repaired": [{"path": f.path, "case_ref": f.case_ref} for f in self.repaired],
            "stray_case_folders": self.stray_cases,
            "cancelled": self.cancelled,
            "recognition": {
                "on": self.recognition,
                "recognised_pages": self.recognised_pages,
                "empty_pages": self.empty_pages,
                "failed_pages": self.failed_pages,
                "not_available_pages": self.unrecognised_pages,
                "postponed_pages": self.postponed_pages,
            },
        }

    def headline(self) -> str:
        """One line: imported (repaired), already in the store, skipped."""
        repaired = f" ({len(self.repaired)} repaired)" if self.repaired else ""
        return (
            f"Imported {plural(self.imported, 'document')}{repaired}; "
            f"{self.duplicates} already in the store; {len(self.skipped)} skipped."
        )

    def summary(self) -> str:
        lines = [self.headline()]
        lines += [
            f"  repaired {f.path}: damaged PDF, imported as a repaired copy" for f in self.repaired
        ]
        lines += [f"  skipped {f.path}: {f.reason}" for f in self.skipped]
        lines += [f"  not in the sample, not imported: {ref}/" for ref in self.stray_cases]
        if self.recognised_pages or self.empty_pages or self.failed_pages:
            lines.append(
                f"  text recognised on {plural(self.recognised_pages, 'scanned page')}"
                f" ({self.empty_pages} with no text found, {self.failed_pages} failed)."
            )
        if self.unrecognised_pages:
            pages = plural(self.unrecognised_pages, "scanned page")
            lines.append(
                f"  text recognition was not available (tesseract is not installed): {pages}"
                " without text; install tesseract-ocr and tesseract-ocr-eng, then run"
                " `casereader ocr`."
            )
        if self.postponed_pages:
            pages = plural(self.postponed_pages, "scanned page")
            lines.append(
                f"  {pages} of long documents not recognised yet: run `casereader ocr` to"
                " recognise them."
            )
        if self.cancelled:
            lines.append("  cancelled before the end; what was imported is kept.")
        return "\n".join(lines)
