"""Writers turn a :class:`~generator.document.Document` into one file format.

Every writer has the same contract, ``write(document, out_path)``; only the Word writer
imports python-docx and only the PDF writer (with its field overlay) imports Typst and pikepdf.
"""
