"""The searchable text of documents (``DocumentText``), rebuilt in the transaction that changes
what it is made of, so search never drifts from the documents.

A document's text is its metadata (number and symbol, type, summary, issuer, signer, notes), its
recipients, the text of the files of its current version (extracted from born-digital PDFs, or
read by OCR from scans) and what other apps add through ``register_text_source`` (the incoming
app: the leaders' instructions, the handlers' reports and results). ``documents`` never imports
those apps: they register a source in their ``AppConfig.ready()``.

``document_text_refresh`` takes many documents at once in a bounded number of queries (a
delivery fans out to hundreds of agencies in one transaction)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import datetime

from vanthu.core.text import exact_words
from vanthu.core.text import folded_words
from vanthu.core.text import symbol_key
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentText

TextSource = Callable[[Sequence[int]], dict[int, list[str]]]
FILE_TEXT_LIMIT = 200_000  # characters of file text kept per document (a long report's first ~60 pages)
BATCH = 500

_sources: dict[str, TextSource] = {}


def register_text_source(name: str, source: TextSource) -> None:
    """Add (or replace) the source called ``name``: ``source(document_ids)`` -> {id: [texts]}."""
    _sources[name] = source


def _metadata_text(document: Document) -> list[str]:
    return [
        document.number_symbol,
        document.document_type.name,
        document.subject,
        document.issuer_name,
        document.issuer_code,
        document.signer_position,
        document.signer_name,
        document.place_name,
        document.description,
        document.circulation_note,
        document.identifier,
    ]


def _file_texts(documents: Sequence[Document]) -> dict[int, list[str]]:
    by_version = {document.current_version_id: document.pk for document in documents if document.current_version_id}
    texts: dict[int, list[str]] = defaultdict(list)
    if not by_version:
        return texts
    rows = DocumentFile.objects.filter(version_id__in=by_version).order_by("version_id", "role", "id")
    for version_id, name, text in rows.values_list("version_id", "name", "text"):
        texts[by_version[version_id]] += [name, text or ""]
    return texts


def _recipient_texts(ids: Sequence[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = defaultdict(list)
    rows = DocumentRecipient.objects.filter(document_id__in=ids).order_by("document_id", "ordinal")
    for document_id, name in rows.values_list("document_id", "name"):
        texts[document_id].append(name)
    return texts


def _compose(parts: Iterable[str]) -> str:
    text = "\n".join(part for part in parts if part)
    return text[: FILE_TEXT_LIMIT * 2]


def document_text_refresh(*, document_ids: Iterable[int], now: datetime) -> int:
    """Rebuild the searchable text of ``document_ids`` from what they hold now (in the caller's
    transaction). Returns how many were written."""
    ids = sorted(set(document_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _refresh(ids[start : start + BATCH], now)
    return written


def _refresh(ids: Sequence[int], now: datetime) -> int:
    documents = list(Document.objects.filter(pk__in=ids).select_related("document_type"))
    if not documents:
        return 0
    found = [document.pk for document in documents]
    files = _file_texts(documents)
    recipients = _recipient_texts(found)
    extra: dict[int, list[str]] = defaultdict(list)
    for source in _sources.values():
        for document_id, texts in source(found).items():
            extra[document_id] += texts
    rows = []
    for document in documents:
        file_text = "\n".join(files.get(document.pk, []))[:FILE_TEXT_LIMIT]
        text = _compose(
            [*_metadata_text(document), *recipients.get(document.pk, []), *extra.get(document.pk, []), file_text]
        )
        rows.append(
            DocumentText(
                document_id=document.pk,
                folded=folded_words(text),
                exact=exact_words(text),
                symbol_key=symbol_key(document.number_symbol)[:64],
                updated_at=now,
            )
        )
    DocumentText.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["document"],
        update_fields=["folded", "exact", "symbol_key", "updated_at"],
    )
    return len(rows)


def text_reindex(
    *,
    now: datetime,
    extract_missing: bool = True,
    batch: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Rebuild the searchable text of every document (after an upgrade of the folding, or to repair
    a database restored from elsewhere), a batch per transaction; with ``extract_missing``, first
    read again the text of PDFs whose files have none (pdftotext, never OCR; once per distinct PDF,
    then every file holding those bytes at once). Returns (PDFs read, documents indexed);
    ``progress(done, total)`` is told after each batch."""
    from django.db import transaction

    from vanthu.core.blobs import blob_read
    from vanthu.core.errors import DomainError
    from vanthu.documents.digitise import pdf_text
    from vanthu.documents.models import ConversionStatus

    files_read = 0
    if extract_missing:
        missing = (
            DocumentFile.objects.filter(
                pdf__isnull=False,
                text="",
                conversion_status__in=[ConversionStatus.NOT_NEEDED, ConversionStatus.DONE],
            )
            .order_by()
            .values_list("pdf_id", flat=True)
            .distinct()
        )
        for sha256 in list(missing):
            try:
                text = pdf_text(blob_read(sha256=sha256))
            except DomainError:  # a missing or damaged stored file: `vanthu verify-storage` names it
                continue
            if text:
                with transaction.atomic():
                    DocumentFile.objects.filter(pdf_id=sha256, text="").update(text=text)
                files_read += 1
    ids = list(Document.objects.order_by("id").values_list("id", flat=True))
    indexed = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            indexed += document_text_refresh(document_ids=chunk, now=now)
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids))
    return files_read, indexed
