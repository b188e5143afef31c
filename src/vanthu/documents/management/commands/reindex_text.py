"""``vanthu manage reindex_text``: rebuild the searchable text of every document (and read again
the text of PDFs that have none)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandParser

from vanthu.core import clock
from vanthu.documents.services.text import text_reindex


class Command(BaseCommand):
    help = "Rebuild the searchable text of every document; read again the text of PDFs that have none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-extract", action="store_true", help="do not read the text of PDFs again")
        parser.add_argument("--batch", type=int, default=1000, help="documents per transaction (default 1000)")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\r{done}/{total} documents ({100 * done // max(total, 1)} %)")
            sys.stderr.flush()

        files, documents = text_reindex(
            now=clock.now(), extract_missing=not options["no_extract"], batch=options["batch"], progress=progress
        )
        sys.stderr.write("\n")
        self.stdout.write(f"{documents} documents indexed; the text of {files} PDFs read again.")
