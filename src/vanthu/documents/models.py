"""The Document shared by outgoing and incoming documents, its files and versions, and the numbering
registers (sổ) — Decree 30/2020 (DOMAIN.md §1.2–§1.4, §1.7, §1.11).

A Document holds the metadata of Appendix VI (its API keeps the tag names: CodeNumber, CodeNotation,
Subject, …); the number (an integer) and the symbol (text) are stored apart and rendered together
("05/QĐ-UBND"). Secret documents (mật, tối mật, tuyệt mật) are not processed electronically: no
Document of this system carries a secrecy level other than NORMAL (a check constraint holds it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanthu.core.models import Blob
from vanthu.core.models import TimeStampedModel
from vanthu.org.models import Agency
from vanthu.org.models import Unit


class TypeKind(models.TextChoices):
    ADMINISTRATIVE = "ADMINISTRATIVE", _("Administrative document (Decree 30)")
    COPY = "COPY", _("Copy")
    CUSTOM = "CUSTOM", _("Agency-defined type")


class DocumentType(TimeStampedModel):
    """One of the 29 administrative types (Decree 30 Art. 7), a copy kind (SY, SL, TrS), or a type an
    agency adds (specialised documents). ``abbreviation`` is case-exact (QyĐ, CTr, TTr, TrS); Công văn
    and Thư công have none."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    abbreviation = models.CharField(_("abbreviation"), max_length=16, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=TypeKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_types",
        help_text=_("Empty for the types every agency uses."),
    )
    ordinal = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["ordinal", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(agency__isnull=True), name="document_type_code_unique"
            ),
            models.UniqueConstraint(fields=["agency", "code"], name="document_type_agency_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["ADMINISTRATIVE", "COPY", "CUSTOM"]), name="document_type_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    OUTGOING = "OUTGOING", _("Outgoing")
    INCOMING = "INCOMING", _("Incoming")


class Origin(models.TextChoices):
    BORN_DIGITAL = "BORN_DIGITAL", _("Electronic")
    DIGITISED = "DIGITISED", _("Digitised from paper")
    PAPER = "PAPER", _("Signed on paper")


class Urgency(models.TextChoices):
    NORMAL = "NORMAL", _("Normal")
    URGENT = "URGENT", _("Urgent (Khẩn)")
    VERY_URGENT = "VERY_URGENT", _("Very urgent (Thượng khẩn)")
    FLASH = "FLASH", _("Flash (Hỏa tốc)")


class Secrecy(models.TextChoices):
    NORMAL = "NORMAL", _("Not secret")
    SECRET = "SECRET", _("Secret (Mật)")
    TOP_SECRET = "TOP_SECRET", _("Top secret (Tối mật)")
    ABSOLUTE_SECRET = "ABSOLUTE_SECRET", _("Absolutely secret (Tuyệt mật)")


class SignerAuthority(models.TextChoices):
    NONE = "", _("Signs in own right")
    KT = "KT", _("KT. (signs for the head)")
    TM = "TM", _("TM. (on behalf of the collective)")
    Q = "Q", _("Q. (acting)")
    TL = "TL", _("TL. (by order)")
    TUQ = "TUQ", _("TUQ. (by authorisation)")


class Document(TimeStampedModel):
    """Metadata of one document (Appendix VI part II), outgoing or incoming, in one agency's system."""

    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("The issuing agency of an outgoing document, the receiving agency of an incoming one."),
    )
    document_type = models.ForeignKey(DocumentType, verbose_name=_("type"), on_delete=models.PROTECT)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol = models.CharField(_("symbol"), max_length=30, blank=True, default="")
    issued_date = models.DateField(_("issue date"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=64, blank=True, default="")
    subject = models.CharField(_("summary"), max_length=500)
    # Issuer as written on the document (OrganName / OrganId): the agency itself for outgoing ones.
    issuer_name = models.CharField(_("issuing body"), max_length=200, blank=True, default="")
    issuer_code = models.CharField(_("issuing body code"), max_length=13, blank=True, default="")
    signer_authority = models.CharField(
        _("signing authority"), max_length=4, choices=SignerAuthority.choices, blank=True, default=""
    )
    signer_position = models.CharField(_("signer's position"), max_length=100, blank=True, default="")
    signer_name = models.CharField(_("signer's name"), max_length=50, blank=True, default="")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(_("secrecy"), max_length=16, choices=Secrecy.choices, default=Secrecy.NORMAL)
    circulation_note = models.CharField(_("circulation note"), max_length=100, blank=True, default="")
    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True)
    copies_count = models.PositiveIntegerField(_("number of copies"), null=True, blank=True)
    reply_due_date = models.DateField(_("reply deadline"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=30, default="Tiếng Việt")
    description = models.CharField(_("notes"), max_length=500, blank=True, default="")
    identifier = models.CharField(_("document identifier"), max_length=64, blank=True, default="")
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices, default=Origin.BORN_DIGITAL)
    drafting_unit = models.ForeignKey(
        Unit, verbose_name=_("drafting unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["agency", "direction", "-id"], name="document_agency_dir_idx"),
            models.Index(fields=["number", "symbol"], name="document_number_symbol_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["OUTGOING", "INCOMING"]), name="document_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["BORN_DIGITAL", "DIGITISED", "PAPER"]), name="document_origin_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=["NORMAL", "URGENT", "VERY_URGENT", "FLASH"]), name="document_urgency_valid"
            ),
            # Decree 30 Art. 16.3, 22.4; Decision 28/2018: no state-secret content in this system.
            models.CheckConstraint(condition=Q(secrecy="NORMAL"), name="document_not_secret"),
            models.CheckConstraint(
                condition=Q(signer_authority__in=["", "KT", "TM", "Q", "TL", "TUQ"]),
                name="document_signer_authority_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol or '—'} {self.subject[:60]}"

    @property
    def number_text(self) -> str:
        """The number with a leading zero below 10 (Decree 30 App. I §II.3): "05"."""
        return "" if self.number is None else f"{self.number:02d}"

    @property
    def number_symbol(self) -> str:
        """ "05/QĐ-UBND"; the symbol alone while there is no number."""
        if self.number is None:
            return self.symbol
        return f"{self.number_text}/{self.symbol}" if self.symbol else self.number_text

    @property
    def signer_title(self) -> str:
        """ "KT. GIÁM ĐỐC" style prefix + position, as printed above the signature."""
        prefix = f"{self.signer_authority}. " if self.signer_authority else ""
        return f"{prefix}{self.signer_position}".strip()


class RecipientKind(models.TextChoices):
    AGENCY = "AGENCY", _("Agency in the system")
    UNIT = "UNIT", _("Unit of the agency")
    EXTERNAL = "EXTERNAL", _("Outside the system")


class Channel(models.TextChoices):
    INTERNAL = "INTERNAL", _("Inside the province (this system)")
    AXIS = "AXIS", _("National document axis")
    EMAIL = "EMAIL", _("E-mail")
    POST = "POST", _("Post")
    NONE = "NONE", _("Kept internally")


class DocumentRecipient(models.Model):
    """Nơi nhận: an agency of the system, a unit of the issuing agency, or a name outside the system
    with the channel it is sent by."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    ordinal = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=RecipientKind.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("agency code"), max_length=13, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.INTERNAL)
    address = models.CharField(_("address or e-mail"), max_length=255, blank=True, default="")
    is_for_information = models.BooleanField(_("for information"), default=False)

    class Meta:
        ordering = ["document", "ordinal", "id"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="AGENCY", agency__isnull=False, unit__isnull=True)
                    | Q(kind="UNIT", unit__isnull=False, agency__isnull=True)
                    | Q(kind="EXTERNAL", agency__isnull=True, unit__isnull=True)
                ),
                name="document_recipient_kind_matches",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["INTERNAL", "AXIS", "EMAIL", "POST", "NONE"]),
                name="document_recipient_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VersionKind(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SIGNED = "SIGNED", _("Signed by the competent person")
    ISSUED = "ISSUED", _("Issued (numbered, agency signature)")
    RECEIVED = "RECEIVED", _("Received")
    COPY = "COPY", _("Electronic copy")


class DocumentVersion(models.Model):
    """One state of a document's files: each draft revision, the signed original, the issued file."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16, choices=VersionKind.choices, default=VersionKind.DRAFT)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["DRAFT", "SIGNED", "ISSUED", "RECEIVED", "COPY"]),
                name="document_version_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class FileRole(models.TextChoices):
    MAIN = "MAIN", _("Main file")
    ANNEX = "ANNEX", _("Annex (separate file)")


class ConversionStatus(models.TextChoices):
    NOT_NEEDED = "NOT_NEEDED", _("PDF as uploaded")
    PENDING = "PENDING", _("Waiting for conversion")
    RUNNING = "RUNNING", _("Converting to PDF")
    DONE = "DONE", _("Converted to PDF")
    FAILED = "FAILED", _("Conversion failed")


class DocumentFile(models.Model):
    """A file of a version: the uploaded bytes (PDF, DOCX or a scan) and the PDF made from them."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("role"), max_length=8, choices=FileRole.choices)
    ordinal = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("file name"), max_length=255)
    source = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded file"))
    pdf = models.ForeignKey(
        Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("PDF")
    )
    conversion_status = models.CharField(
        _("conversion"), max_length=16, choices=ConversionStatus.choices, default=ConversionStatus.NOT_NEEDED
    )
    conversion_progress = models.PositiveSmallIntegerField(_("progress (%)"), default=100)
    conversion_error = models.CharField(_("conversion error"), max_length=500, blank=True, default="")
    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True)
    text = models.TextField(
        _("text"),
        blank=True,
        default="",
        help_text=_("The text layer of the PDF (extracted, or recognised from a scan), kept for search."),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["version", "role", "ordinal", "id"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["MAIN", "ANNEX"]), name="document_file_role_valid"),
            models.CheckConstraint(
                condition=Q(conversion_status__in=["NOT_NEEDED", "PENDING", "RUNNING", "DONE", "FAILED"]),
                name="document_file_conversion_valid",
            ),
            models.UniqueConstraint(
                fields=["version"], condition=Q(role="MAIN"), name="document_file_one_main_per_version"
            ),
            models.CheckConstraint(
                condition=Q(conversion_progress__lte=100), name="document_file_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ready(self) -> bool:
        return self.pdf_id is not None


class VersionComment(models.Model):
    """An opinion written on a version (by a reviewer, the signer, the drafter)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["version", "created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]


class RegisterScope(models.TextChoices):
    OUTGOING = "OUTGOING", _("All outgoing documents")
    OUTGOING_TYPE = "OUTGOING_TYPE", _("Outgoing documents of one type")
    COPIES = "COPIES", _("Copies")
    ADVISORY = "ADVISORY", _("An advisory body")
    INCOMING = "INCOMING", _("Incoming documents")


class Register(TimeStampedModel):
    """A numbering register (sổ): one numbering stream of one agency for one year and scope.

    Numbers are allocated under a row lock on this row, in the transaction that uses them, so they
    are unique, consecutive and without gaps; a new year opens new registers (from 01)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="registers")
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(_("scope"), max_length=16, choices=RegisterScope.choices)
    code = models.CharField(
        _("code"), max_length=32, help_text=_("Short name, unique in the agency and year, e.g. DI, DI-QĐ, SAO, DEN.")
    )
    name = models.CharField(_("name"), max_length=200)
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), null=True, blank=True, on_delete=models.PROTECT
    )
    advisory_body = models.CharField(_("advisory body"), max_length=200, blank=True, default="")
    next_number = models.PositiveIntegerField(_("next number"), default=1)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "-year", "code"]
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "code"], name="register_code_unique"),
            models.CheckConstraint(
                condition=Q(scope__in=["OUTGOING", "OUTGOING_TYPE", "COPIES", "ADVISORY", "INCOMING"]),
                name="register_scope_valid",
            ),
            models.CheckConstraint(condition=Q(next_number__gte=1), name="register_next_number_positive"),
            models.CheckConstraint(
                condition=~Q(scope="OUTGOING_TYPE") | Q(document_type__isnull=False),
                name="register_type_scope_has_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class EntryStatus(models.TextChoices):
    RESERVED = "RESERVED", _("Reserved")
    USED = "USED", _("Used")
    CANCELLED = "CANCELLED", _("Cancelled")


class RegisterEntry(models.Model):
    """One number of a register: reserved ahead, used by a document, or cancelled with a reason —
    so the register never shows a silent gap."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=16, choices=EntryStatus.choices)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="register_entries"
    )
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(_("allocated at"))
    note = models.CharField(_("note"), max_length=255, blank=True, default="")
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True, default="")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["register", "number"]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="register_entry_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="register_entry_number_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["RESERVED", "USED", "CANCELLED"]), name="register_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="CANCELLED") | (Q(cancelled_at__isnull=False) & ~Q(cancelled_reason="")),
                name="register_entry_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="USED") | Q(document__isnull=False), name="register_entry_used_has_document"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register} #{self.number:02d}"


class DocumentText(models.Model):
    """What search reads of a document, kept in the same transaction as the document by
    ``services.text.document_text_refresh``: its words folded (no diacritics, đ → d: what matches)
    and exact (lower case with diacritics: what ranks), and its number and symbol as a key
    ("15/CT-UBND"). The database indexes them itself: on PostgreSQL, tsvector columns generated
    from ``folded`` and ``exact`` with a GIN index and a trigram index on ``symbol_key``; on SQLite,
    an FTS5 table kept by triggers (migration 0004)."""

    document = models.OneToOneField(Document, primary_key=True, on_delete=models.CASCADE, related_name="text")
    folded = models.TextField(_("folded words"), blank=True, default="")
    exact = models.TextField(_("exact words"), blank=True, default="")
    symbol_key = models.CharField(_("number and symbol key"), max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("searchable text")
        verbose_name_plural = _("searchable texts")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.symbol_key}"


class PageImage(models.Model):
    """A page of a PDF drawn as a PNG (pdftoppm) at a width: the thumbnails of lists and search
    results, the pages of the in-page viewer. Keyed by the PDF's bytes, so every copy of one PDF
    (an issued document and each agency's received copy) shares its images."""

    pdf = models.ForeignKey(Blob, on_delete=models.CASCADE, related_name="+")
    page = models.PositiveIntegerField(_("page"))
    width = models.PositiveIntegerField(_("width (px)"))
    image = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("page image")
        verbose_name_plural = _("page images")
        constraints = [
            models.UniqueConstraint(fields=["pdf", "page", "width"], name="page_image_unique"),
            models.CheckConstraint(condition=Q(page__gte=1), name="page_image_page_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pdf_id[:12]} p{self.page} {self.width}px"
