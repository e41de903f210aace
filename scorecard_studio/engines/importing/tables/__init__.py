"""Tables: where the table is on a sheet, and whether its layout fits the data source.

Input: a preview grid (the first rows of a sheet as plain values, with merged ranges) or,
for :mod:`.layouts`, the typed frame and its data source. Output: a
:class:`~.detect.TableSpec` (header rows, column names, the rows and columns in use, other
tables beside it) from :mod:`.detect`, which asks :mod:`.exporters` first whether a known
system wrote the file; findings about long/wide layout from :mod:`.layouts`. Works the same
on every format, before the full read. After the read, :mod:`.footers` finds the totals and
footer rows ending the table and :mod:`.exporter_values` applies the exporter's value
conventions (these two work on the read table).
"""
