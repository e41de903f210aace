"""Tables: where the table is on a sheet, and whether its layout fits the data source.

Input: a preview grid (the first rows of a sheet as plain values, with merged ranges) or,
for :mod:`.layouts`, the typed frame and its data source. Output: a
:class:`~.detect.TableSpec` (header rows, column names, the rows and columns in use, other
tables beside it) from :mod:`.detect`; findings about long/wide layout from :mod:`.layouts`.
Works the same on every format, before the full read.
"""
