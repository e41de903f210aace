"""Scorecard Studio: weighted customer balanced scorecards, versioned, exported as QBR reports.

The package is layered one way (enforced by import-linter in pyproject.toml):
``domain`` (pure dataclasses and functions) <- ``engines`` (scoring, import, export, store)
<- ``cli`` and ``qt`` (the two front ends) <- ``launcher`` (picks a front end).
"""

__version__ = "0.1.0"
