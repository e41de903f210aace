"""Validation: what the import reports about a typed table, and joining several of them.

Input: the typed frame, its typed columns and the data source. Output: a
:class:`~.report.ValidationReport` (per column, per row, rows dropped with their reason)
from :mod:`.report`; columns missing or new since the last import and role columns that
are gone from :mod:`.mapping`; several sources joined on a normalised customer key, with
the keys that did not match, from :mod:`.joining`.
"""
