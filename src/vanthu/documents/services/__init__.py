"""Writes of the documents app: documents (documents.py), versions and files (files.py), numbering
registers (numbering.py). Other apps import the module they need, e.g.
``from vanthu.documents.services.numbering import number_allocate``."""
