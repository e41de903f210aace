"""Readers: a checked file to one raw table, the values as the file holds them.

Input: a path that passed :mod:`..safety.guard`, its format, the sheet and header row the
data source asks for. Output: a :class:`~.sheets.RawRead` (the sheets, where the table is,
its cells by column or as Arrow, Excel error cells, findings) or, for text, a
:class:`~.csv_sniff.TextTable`. :mod:`.workbook` runs in the isolated reader process and
picks a library per format; :mod:`.xlsx_stream` streams large xlsx sheets in the importing
process; :mod:`.csv_sniff` reads CSV and other delimited text. Nothing is typed here.
"""
