"""casereader: read and grade children's case records for joint inspections."""

__version__ = "0.1.0"
APP_NAME = "casereader"
