"""Printing in the app: File → Print case summary…, Print all summaries…, Print analysis
report…, Print concern form…. The PDFs come from casereader.reports; each opens the system
print dialog (its pages rendered by QtPdf onto the printer) with "Save as PDF…" beside Print.
Laying out every case's summary and the analysis report runs as a cancellable job.
"""

from casereader.ui.printing.actions import PrintActions, Printing

__all__ = ["PrintActions", "Printing"]
