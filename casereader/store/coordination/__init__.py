"""The coordinator's desk: the merged overview, moderation of double reads and the analysis.

Every function takes an open Store: a coordinator store with merged readers' work (a reader
store works too and simply has one reader). Nothing here imports Qt.
"""
