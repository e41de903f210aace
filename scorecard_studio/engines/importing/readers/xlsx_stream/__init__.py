"""The streaming xlsx reader: a large sheet's table straight from its XML into Arrow.

Input: an open xlsx zip, the sheet and the table's bounds (found on the first rows by
:mod:`.xlsx_head` and :mod:`...tables.detect`). Output: an Arrow table of the table's cells
(numbers, text, booleans, dates as Excel serials), the Excel error cells and merged ranges.

:mod:`.large_xlsx` is the entry point and plans the read; :mod:`.stream` inflates the sheet
part slice by slice on a second thread; :mod:`.xml_scan` finds cells in a slice with
whole-array byte searches, :mod:`.xlsx_cells` decodes their kinds and values,
:mod:`.xlsx_format` tells date formats from number formats, and :mod:`.stream_columns`
keeps one typed segment per slice and column. Memory grows with the data read, never with
a size the file declares.
"""
