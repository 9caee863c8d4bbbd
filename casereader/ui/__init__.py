"""The desktop app's widgets, models, dialogs and jobs (PySide6).

Importing this package itself does not import Qt, so that `casereader.ui.prefs` can be read
by the command line without loading a GUI toolkit.
"""
