"""Safety: what stands between an untrusted file and the code that parses it.

Input: a path the user picked. Output: a :class:`~.guard.GuardReport` (the format told from
the bytes, the size) or a refusal with a specific message; for workbooks, a read run in a
child process with a memory cap and a time limit (:mod:`.isolation`), decrypted first when
the file is encrypted (:mod:`.encryption` for Excel, :mod:`.odf_encryption` for
OpenDocument). :mod:`.memory` hands freed memory back to the system during long reads.
Nothing here imports pandas: the reader process imports these modules.
"""
