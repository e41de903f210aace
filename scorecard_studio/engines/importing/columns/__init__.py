"""Columns: each raw column typed — number, percent, currency, date, boolean, text.

Input: one column of raw values (Python objects or Arrow text) with the positions of its
Excel error cells. Output: a :class:`~.column_types.TypedColumn` (the typed values, the
type chosen and the counts of missing, unparseable and error cells). :mod:`.cells` holds the
cell values every stage shares (Excel error codes, blanks, column letters);
:mod:`.arrow_text` the Arrow kernels that make typing text fast.
"""
