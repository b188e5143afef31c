"""Test helpers of the signing app (a test PKI). Pure Python: no Django here."""
