# mypy: disable-error-code="no-untyped-call"
# (pyHanko's reader, xref and diff-analysis objects are not annotated everywhere)
"""Check what a signing agent sends back: the PDF the server sent, plus one incremental update that
adds exactly one valid signature made with the expected certificate, and nothing else.

The agent (the VGCA Sign Service on the signer's computer, or ``vanthu sign-agent``) receives a PDF,
signs it and uploads the result. Nothing of it is trusted: the upload must start with exactly the
bytes sent; the bytes after them must be one revision whose xref chains to the sent file's last one;
that revision must add one signature (no more, no less) that covers the whole upload, is intact and
valid at ``now``, leads to ``trust_roots`` and was made with ``expected_certificate_der``; and the
revision must change the document only as filling a signature field does (difference analysis), so
an agent cannot slip in other edits next to its signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis import SuspiciousModification
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from vanthu.core.errors import DomainError
from vanthu.core.errors import ValidationError
from vanthu.signing.pades import document
from vanthu.signing.pades.runner import run_coroutine
from vanthu.signing.pades.verify import SIGNING_KEY_USAGE
from vanthu.signing.pades.verify import CertificateInput
from vanthu.signing.pades.verify import _asn1

# What the new revision may change besides adding its signature: filling a signature field (with
# its widgets and appearance streams). Page content, other annotations, the catalogue: no.
ALLOWED_SIGNING_CHANGES = ModificationLevel.FORM_FILLING
# Catalogue entries a first signature may add or change (the form, XMP metadata, version markers).
CATALOGUE_KEYS_SIGNING_MAY_SET = frozenset({"/AcroForm", "/Extensions", "/Metadata", "/Version"})


class AgentUploadError(ValidationError):
    """Base of every refusal of an agent's upload (HTTP 422)."""

    code = "agent_upload_invalid"
    default_message: Any = _("The signed file sent back by the signing agent is not acceptable.")


class UploadNotAPdfError(AgentUploadError):
    code = "agent_upload_not_a_pdf"
    default_message: Any = _("The file sent back by the signing agent is not a PDF document.")


class UploadChangedDocumentError(AgentUploadError):
    code = "agent_upload_changed_document"
    default_message: Any = _(
        "The signed file does not start with exactly the document that was sent: earlier content was changed."
    )


class UploadNotIncrementalError(AgentUploadError):
    code = "agent_upload_not_incremental"
    default_message: Any = _(
        "The signed file is not the document that was sent plus one incremental update carrying the signature."
    )


class UploadSignatureCountError(AgentUploadError):
    code = "agent_upload_signature_count"
    default_message: Any = _("The signed file must add exactly one new signature.")


class UploadWrongCertificateError(AgentUploadError):
    code = "agent_upload_wrong_certificate"
    default_message: Any = _("The new signature was not made with the certificate chosen for this signing.")


class UploadInvalidSignatureError(AgentUploadError):
    code = "agent_upload_invalid_signature"
    default_message: Any = _("The new signature is not valid or the signed document was altered after signing.")


class UploadOtherChangesError(AgentUploadError):
    code = "agent_upload_other_changes"
    default_message: Any = _(
        "Besides the signature, the signed file changes the document in ways that are not allowed."
    )


def check_agent_upload(
    *,
    sent: bytes,
    uploaded: bytes,
    expected_certificate_der: bytes,
    trust_roots: Sequence[CertificateInput],
    now: datetime,
    other_certs: Sequence[CertificateInput] = (),
) -> None:
    """Return quietly when ``uploaded`` is ``sent`` signed once more, correctly; raise an
    :class:`AgentUploadError` subclass otherwise (see the module docstring for the rules)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    uploaded = bytes(uploaded)
    sent = bytes(sent)
    if b"%PDF-" not in uploaded[: document.HEADER_WINDOW]:
        raise UploadNotAPdfError()
    if not uploaded.startswith(sent):
        raise UploadChangedDocumentError()
    if len(uploaded) == len(sent):
        raise UploadSignatureCountError(details={"new_signatures": 0})
    sent_reader = _open(sent)
    reader = _open(uploaded)
    base = sent_reader.xrefs.total_revisions
    _check_revisions(sent_reader, reader, base=base)

    before = _signature_keys(sent_reader.embedded_signatures)
    new = [embedded for embedded in reader.embedded_signatures if _key(embedded) not in before]
    if len(reader.embedded_signatures) - len(sent_reader.embedded_signatures) != 1 or len(new) != 1:
        raise UploadSignatureCountError(details={"new_signatures": max(len(new), 0)})
    embedded = new[0]
    if embedded.sig_object_type != "/Sig":
        # a document timestamp (/DocTimeStamp) is not a signature by the signer
        raise UploadSignatureCountError(details={"new_signatures": 0})
    try:
        signer_der = embedded.signer_cert.dump()
    except Exception as error:  # noqa: BLE001 - garbage CMS: the signature is not valid
        raise UploadInvalidSignatureError() from error
    expected = _asn1(expected_certificate_der).dump()
    if signer_der != expected:
        raise UploadWrongCertificateError(details={"signer_sha256": _asn1(signer_der).sha256.hex()})
    _check_signature(embedded, trust_roots=trust_roots, other_certs=other_certs, now=now)
    _check_changes(reader, base=base)


def _open(pdf: bytes) -> PdfFileReader:
    try:
        return document.open_pdf(pdf)
    except DomainError as error:
        if isinstance(error, AgentUploadError):
            raise
        # not a PDF, encrypted or broken: none of it is an incremental update of the sent file
        raise UploadNotIncrementalError(details={"reason": error.code}) from error


def _check_revisions(sent_reader: PdfFileReader, reader: PdfFileReader, *, base: int) -> None:
    """Exactly one revision more, chained to the sent file's revisions (same xref offsets)."""
    if reader.xrefs.total_revisions != base + 1:
        raise UploadNotIncrementalError(details={"new_revisions": reader.xrefs.total_revisions - base})
    for revision in range(base):
        if reader.xrefs.get_startxref_for_revision(revision) != sent_reader.xrefs.get_startxref_for_revision(revision):
            raise UploadNotIncrementalError(details={"reason": "xref_chain"})


def _key(embedded: EmbeddedPdfSignature) -> tuple[str, bytes]:
    contents = embedded.sig_object.get("/Contents")
    return (str(embedded.field_name), bytes(contents) if contents is not None else b"")


def _signature_keys(signatures: Sequence[EmbeddedPdfSignature]) -> set[tuple[str, bytes]]:
    return {_key(embedded) for embedded in signatures}


def _check_signature(
    embedded: EmbeddedPdfSignature,
    *,
    trust_roots: Sequence[CertificateInput],
    other_certs: Sequence[CertificateInput],
    now: datetime,
) -> None:
    context = ValidationContext(
        trust_roots=[_asn1(cert) for cert in trust_roots],
        other_certs=[_asn1(cert) for cert in other_certs],
        allow_fetching=False,
        moment=now,
        revocation_mode="soft-fail",
    )
    try:
        status = run_coroutine(
            async_validate_pdf_signature(
                embedded,
                signer_validation_context=context,
                key_usage_settings=SIGNING_KEY_USAGE,
                skip_diff=True,
            )
        )
    except Exception as error:  # noqa: BLE001 - any failure to parse or validate makes it invalid
        raise UploadInvalidSignatureError(details={"reason": type(error).__name__}) from error
    problems = []
    if not status.intact:
        problems.append("not_intact")
    if not status.valid:
        problems.append("invalid_signature")
    if not status.trusted:
        problems.append("untrusted")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append("partial_coverage")
    if problems:
        raise UploadInvalidSignatureError(details={"problems": problems})


def _check_changes(reader: PdfFileReader, *, base: int) -> None:
    """The new revision against the sent one: only what filling a signature field does.

    With a form in the sent revision pyHanko's difference analysis judges it (the same rules that
    decide whether later changes keep earlier signatures valid). Without one (an unsigned draft)
    pyHanko's rules cannot run, and a stricter structural check does: existing objects may change
    only as adding a signature field needs (the catalogue gets /AcroForm; pages get new annotations,
    each a widget of a signature field); everything else must be new objects."""
    old = reader.get_historical_resolver(base - 1)
    if "/AcroForm" in old.root and isinstance(old.root["/AcroForm"], generic.DictionaryObject):
        try:
            result = DEFAULT_DIFF_POLICY.apply(
                old=old, new=reader.get_historical_resolver(base), field_mdp_spec=None, doc_mdp=None
            )
        except (SuspiciousModification, PdfError, KeyError, ValueError, TypeError) as error:
            raise UploadOtherChangesError(details={"reason": str(error)[:200]}) from error
        if result.modification_level > ALLOWED_SIGNING_CHANGES:
            raise UploadOtherChangesError(details={"modification_level": result.modification_level.name})
        return
    try:
        _check_first_form(reader, old=old, base=base)
    except (PdfError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise UploadOtherChangesError(details={"reason": str(error)[:200]}) from error


def _check_first_form(reader: PdfFileReader, *, old: Any, base: int) -> None:
    new = reader.get_historical_resolver(base)
    root_ref = reader.root_ref
    page_refs = {_id(ref) for ref in _page_refs(old)}
    annots_arrays = {
        _id(_raw(page, "/Annots"))
        for page in (ref.get_object() for ref in _page_refs(new))
        if isinstance(_raw(page, "/Annots"), generic.IndirectObject)
    }
    # document metadata (the /Info dictionary, the XMP stream) may be updated, as signing tools do
    metadata = {
        _id(ref)
        for ref in (_raw(old.trailer_view, "/Info"), _raw(old.root, "/Metadata"))
        if isinstance(ref, generic.IndirectObject)
    }
    for ref in reader.xrefs.explicit_refs_in_revision(base):
        key = (ref.idnum, ref.generation)
        if not _existed(reader, ref, revision=base - 1) or key in metadata:
            continue  # a new object: reachable only through the new form and annotations
        before = old(ref)
        after = new(ref)
        if key == _id(root_ref):
            _same_except(before, after, allowed=CATALOGUE_KEYS_SIGNING_MAY_SET)
        elif key in page_refs:
            _same_except(before, after, allowed=frozenset({"/Annots"}))
            _kept(before.get("/Annots"), after.get("/Annots"))
        elif key in annots_arrays and isinstance(before, generic.ArrayObject):
            _kept(before, after)
        else:
            raise UploadOtherChangesError(details={"changed_object": ref.idnum})
    for page_ref in _page_refs(new):
        old_annots = _resolved_ids(old, page_ref)
        for annot_ref in page_ref.get_object().get("/Annots") or []:
            if isinstance(annot_ref, generic.IndirectObject) and _id(annot_ref) in old_annots:
                continue
            annotation = annot_ref.get_object()
            if annotation.get("/Subtype") != "/Widget" or not _is_signature_widget(new, annot_ref):
                raise UploadOtherChangesError(details={"new_annotation": str(annotation.get("/Subtype"))})
    form = new.root["/AcroForm"] if "/AcroForm" in new.root else None
    for field_ref in form.get("/Fields") or [] if form is not None else []:
        if field_ref.get_object().get("/FT") != "/Sig":
            raise UploadOtherChangesError(details={"new_field": str(field_ref.get_object().get("/T"))})


def _raw(dictionary: Any, key: str) -> Any:
    """The entry itself (an indirect reference stays one), None when missing."""
    return dictionary.raw_get(key) if key in dictionary else None


def _id(ref: Any) -> tuple[int, int]:
    return (int(ref.idnum), int(ref.generation))


def _existed(reader: PdfFileReader, ref: Any, *, revision: int) -> bool:
    try:
        return bool(reader.xrefs.get_introducing_revision(ref) <= revision)
    except KeyError:
        return False


def _page_refs(resolver: Any) -> list[Any]:
    refs: list[Any] = []

    def walk(node_ref: Any) -> None:
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                walk(kid)
        else:
            refs.append(node_ref)

    walk(resolver.root.raw_get("/Pages"))
    return refs


def _resolved_ids(old: Any, page_ref: Any) -> set[tuple[int, int]]:
    if not _existed(old.reader, page_ref.reference, revision=old.revision):
        return set()
    page = old(page_ref.reference)
    annots = page.get("/Annots") if isinstance(page, generic.DictionaryObject) else None
    return {_id(item) for item in annots or [] if isinstance(item, generic.IndirectObject)}


def _same_except(before: Any, after: Any, *, allowed: frozenset[str]) -> None:
    if not isinstance(before, generic.DictionaryObject) or not isinstance(after, generic.DictionaryObject):
        raise UploadOtherChangesError(details={"reason": "type_changed"})
    for key in set(before.keys()) | set(after.keys()):
        if key in allowed:
            continue
        if key not in before or key not in after or _raw(before, key) != _raw(after, key):
            raise UploadOtherChangesError(details={"changed_key": str(key)})


def _kept(before: Any, after: Any) -> None:
    """Every entry of the old array is still in the new one."""
    old_items = list(before.get_object()) if before is not None else []
    new_items = list(after.get_object()) if after is not None else []
    if not all(item in new_items for item in old_items):
        raise UploadOtherChangesError(details={"reason": "annotations_removed"})


def _is_signature_widget(new: Any, annot_ref: Any) -> bool:
    annotation = annot_ref.get_object()
    if annotation.get("/FT") == "/Sig":
        return True
    form = new.root["/AcroForm"] if "/AcroForm" in new.root else None
    for field_ref in form.get("/Fields") or [] if form is not None else []:
        field = field_ref.get_object()
        kids = field.get("/Kids") or []
        if field.get("/FT") == "/Sig" and any(_id(kid) == _id(annot_ref) for kid in kids):
            return True
    return False


__all__ = [
    "AgentUploadError",
    "UploadChangedDocumentError",
    "UploadInvalidSignatureError",
    "UploadNotAPdfError",
    "UploadNotIncrementalError",
    "UploadOtherChangesError",
    "UploadSignatureCountError",
    "UploadWrongCertificateError",
    "check_agent_upload",
]
