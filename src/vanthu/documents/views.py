"""Pages of the documents app: a file's PDF (or original), the conversion progress partial that
other apps include by URL, and the clerks' numbering registers.

Thin: parse input, make one domain call, render. What the viewer may not see is a 404."""

from __future__ import annotations

from typing import Any
from typing import cast
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from vanthu.core import clock
from vanthu.core.blobs import blob_read
from vanthu.core.errors import DomainError
from vanthu.core.form_base import apply_domain_error
from vanthu.documents import selectors
from vanthu.documents.forms import CancelForm
from vanthu.documents.forms import ReserveForm
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import RegisterScope
from vanthu.documents.previews import PAGE_WIDTH
from vanthu.documents.services import files as file_services
from vanthu.documents.services import numbering
from vanthu.documents.services import previews
from vanthu.org.models import Person


def _person(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def _content_disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "ignore").decode().replace('"', "") or "file"
    return f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@login_required
@require_GET
def file_content(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of a file the viewer may see; ``?original=1`` gives the uploaded bytes (a DOCX)."""
    document_file = selectors.file_get_for(person=_person(request), pk=pk, now=clock.now())
    original = request.GET.get("original") == "1"
    blob = document_file.source if original or document_file.pdf_id is None else document_file.pdf
    if blob is None:  # pragma: no cover - source is never empty
        return HttpResponse(status=404)
    name = document_file.name
    if not original and document_file.pdf_id is not None and not name.lower().endswith(".pdf"):
        name = f"{name.rsplit('.', 1)[0]}.pdf"
    response = HttpResponse(blob_read(sha256=blob.sha256), content_type=blob.content_type)
    response["Content-Disposition"] = _content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def file_page(request: HttpRequest, pk: int, page: int, width: int) -> HttpResponse:
    """Page ``page`` of a file's PDF as a PNG (the viewer's pages, thumbnails), for someone who may
    see the file; drawn once, then served from storage."""
    now = clock.now()
    document_file = selectors.file_get_for(person=_person(request), pk=pk, now=now)
    image = previews.page_image(document_file=document_file, page=page, width=width, now=now)
    if request.headers.get("If-None-Match") == f'"{image.image_id}"':
        return HttpResponse(status=304)
    response = HttpResponse(blob_read(sha256=image.image_id), content_type="image/png")
    response["ETag"] = f'"{image.image_id}"'
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def file_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The in-page viewer: every page of the PDF as an image, loaded as the reader scrolls (works on
    any phone, no PDF plug-in), with the PDF to download."""
    document_file = selectors.file_get_for(person=_person(request), pk=pk, now=clock.now())
    context = {
        "file": document_file,
        "pages": range(1, (document_file.page_count or 1) + 1),
        "width": PAGE_WIDTH,
        "back": _safe_back(request),
    }
    return render(request, "documents/file_view.html", context)


def _safe_back(request: HttpRequest) -> str:
    """The page the viewer came from, when it is one of ours."""
    referer = request.headers.get("Referer", "")
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and allowed else ""


def _status_context(document_file: DocumentFile) -> dict[str, Any]:
    status = document_file.conversion_status
    progress = document_file.conversion_progress
    width = "w-100" if progress >= 100 else "w-75" if progress >= 75 else "w-50" if progress >= 50 else "w-25"  # noqa: PLR2004
    return {
        "file": document_file,
        "polling": status in {ConversionStatus.PENDING, ConversionStatus.RUNNING},
        "failed": status == ConversionStatus.FAILED,
        # A scan (its source is a PDF) waits for OCR, not for LibreOffice.
        "ocr": document_file.source.content_type == "application/pdf",
        "done": document_file.pdf_id is not None,
        "width_class": width if progress > 0 else "",
        "progress": progress,
    }


@login_required
@require_GET
def file_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The conversion progress of a file (an htmx partial that polls itself every second while the
    conversion waits or runs, and offers a retry when it failed)."""
    document_file = selectors.file_get_for(person=_person(request), pk=pk, now=clock.now())
    response = render(request, "documents/_file_status.html", _status_context(document_file))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def file_retry(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    document_file = selectors.file_get_for(person=_person(request), pk=pk, now=now)
    document_file = file_services.document_file_retry_conversion(file=document_file, actor=_person(request), now=now)
    document_file.refresh_from_db()
    if getattr(request, "htmx", False):
        return render(request, "documents/_file_status.html", _status_context(document_file))
    return redirect(request.META.get("HTTP_REFERER") or reverse("home"))


# --- registers -------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or clock.vietnam_year(clock.now()))
    except ValueError:
        return clock.vietnam_year(clock.now())


def _registers_page(
    request: HttpRequest,
    *,
    year: int,
    reserve_forms: dict[int, ReserveForm] | None = None,
    cancel_forms: dict[int, CancelForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    now = clock.now()
    person = _person(request)
    registers = list(selectors.register_list_for(person=person, year=year, now=now))
    reserve_forms = reserve_forms or {}
    cancel_forms = cancel_forms or {}
    rows = []
    for register in registers:
        entries = list(selectors.register_entries(register=register))
        rows.append(
            {
                "register": register,
                "entries": [
                    {
                        "entry": entry,
                        "cancel_form": cancel_forms.get(entry.pk) or CancelForm(prefix=f"cancel-{entry.pk}"),
                    }
                    for entry in entries
                ],
                "reserve_form": reserve_forms.get(register.pk) or ReserveForm(prefix=f"reserve-{register.pk}"),
            }
        )
    current = clock.vietnam_year(now)
    openable = [] if year < current else selectors.agencies_without_outgoing_register(person=person, year=year, now=now)
    return render(
        request,
        "documents/registers.html",
        {"rows": rows, "year": year, "years": list(range(current + 1, current - 6, -1)), "openable": openable},
        status=status,
    )


@login_required
@require_GET
def registers(request: HttpRequest) -> HttpResponse:
    """The numbering registers of the clerk's agencies for a year, with every number."""
    return _registers_page(request, year=_year(request))


@login_required
@require_POST
def register_reserve(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = _person(request)
    register = selectors.register_get_for(person=person, pk=pk, now=now)
    form = ReserveForm(request.POST, prefix=f"reserve-{pk}")
    if form.is_valid():
        try:
            entries = numbering.number_reserve(
                register=register,
                count=form.cleaned_data["count"],
                note=form.cleaned_data["note"],
                actor=person,
                now=now,
            )
        except DomainError as error:
            status = apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Numbers %(first)s to %(last)s reserved.")
                % {"first": f"{entries[0].number:02d}", "last": f"{entries[-1].number:02d}"},
            )
            return redirect(f"{reverse('documents:registers')}?year={register.year}")
    else:
        status = 422
    return _registers_page(request, year=register.year, reserve_forms={pk: form}, status=status)


@login_required
@require_POST
def entry_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = _person(request)
    entry = selectors.register_entry_get_for(person=person, pk=pk, now=now)
    form = CancelForm(request.POST, prefix=f"cancel-{pk}")
    if form.is_valid():
        try:
            numbering.number_cancel(entry=entry, reason=form.cleaned_data["reason"], actor=person, now=now)
        except DomainError as error:
            status = apply_domain_error(form, error)
        else:
            messages.success(request, _("Number %(number)s cancelled.") % {"number": f"{entry.number:02d}"})
            return redirect(f"{reverse('documents:registers')}?year={entry.register.year}")
    else:
        status = 422
    return _registers_page(request, year=entry.register.year, cancel_forms={pk: form}, status=status)


@login_required
@require_POST
def register_open(request: HttpRequest) -> HttpResponse:
    """Open the outgoing register of one of the clerk's agencies for a year (to reserve ahead)."""
    now = clock.now()
    person = _person(request)
    agency = selectors.clerk_agency_get_for(person=person, pk=_int(request.POST.get("agency")), now=now)
    year = _year(request)
    numbering.register_open(agency=agency, year=year, scope=RegisterScope.OUTGOING, actor=person, now=now)
    return redirect(f"{reverse('documents:registers')}?year={year}")


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
