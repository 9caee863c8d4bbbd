"""The grading side of the case workspace: template panel, management review, completion."""
