"""Print-ready registers (sổ) as PDF — filled in by the registers work."""
