"""The search page (/search/): the box, the filters, a page of results with marked passages, the
next page by keyset, and the results as XLSX."""

from __future__ import annotations

from typing import Any
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.documents.register_xlsx import date_text
from vanthu.documents.register_xlsx import table_workbook
from vanthu.org.models import Person
from vanthu.search import presenters
from vanthu.search import services
from vanthu.search.forms import SearchForm
from vanthu.search.models import SavedSearch
from vanthu.search.selectors import agency_choices
from vanthu.search.selectors import search_documents
from vanthu.search.statuses import status_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 5000


@login_required
@require_GET
@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = cast(Person, request.user)
    form = SearchForm(request.GET or None, agencies=agency_choices(person=person, now=now))
    context: dict[str, Any] = {
        "form": form,
        "text": form.text() if form.is_bound else "",
        "saved": list(SavedSearch.objects.filter(person=person)),
    }
    status = 200
    if context["text"]:
        try:
            page = search_documents(
                person=person,
                text=context["text"],
                now=now,
                filters=form.filters(),
                sort=form.chosen_sort(),
                cursor=str(request.GET.get("after") or ""),
            )
        except DomainError as error:
            context["error"] = error.message
            status = 200 if getattr(request, "htmx", False) else 422
        else:
            context |= {
                "page": page,
                "rows": presenters.result_rows(page.results, page.query),
                "next_query": _with(request, after=page.next_cursor) if page.next_cursor else "",
                "export_query": _with(request, after=""),
                "is_continued": bool(request.GET.get("after")),
            }
    template = "search/search.html#results" if getattr(request, "htmx", False) else "search/search.html"
    return render(request, template, context, status=status)


def _with(request: HttpRequest, **values: str) -> str:
    query = request.GET.copy()
    for key, value in values.items():
        if value:
            query[key] = value
        else:
            query.pop(key, None)
    return query.urlencode()


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The results (up to 5,000, best first) as a workbook: what this person may see, nothing else."""
    now = clock.now()
    person = cast(Person, request.user)
    form = SearchForm(request.GET, agencies=agency_choices(person=person, now=now))
    page = search_documents(
        person=person,
        text=form.text(),
        now=now,
        filters=form.filters(),
        sort=form.chosen_sort(),
        limit=EXPORT_LIMIT,
        with_facets=False,
    )
    rows = [
        [
            index,
            document.number_symbol,
            date_text(document.issued_date),
            document.document_type.name,
            document.subject,
            document.issuer_name,
            document.agency.name,
            str(document.get_direction_display()),
            status_label(document),
        ]
        for index, document in enumerate(page.results, start=1)
    ]
    data = table_workbook(
        heading="VANTHU",
        title=_("Search results"),
        subtitle=_("“%(query)s” — %(count)s documents, %(day)s")
        % {"query": page.query.text, "count": page.total, "day": date_text(clock.vietnam_date(now))},
        sheet_title=str(_("Results"))[:31],
        headers=[
            _("No."),
            _("Number and symbol"),
            _("Issue date"),
            _("Type"),
            _("Summary"),
            _("Issuing body"),
            _("Held by"),
            _("Direction"),
            _("Status"),
        ],
        widths=[6, 18, 12, 14, 60, 28, 28, 12, 24],
        rows=rows,
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ket-qua-tim-kiem.xlsx"'
    return response


@login_required
@require_POST
def saved_create(request: HttpRequest) -> HttpResponse:
    """Save the search shown (its query and filters) under a name."""
    person = cast(Person, request.user)
    query_string = str(request.POST.get("query_string") or "")
    try:
        saved = services.saved_search_create(
            person=person, name=str(request.POST.get("name") or ""), query_string=query_string, now=clock.now()
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(f"{_search_url()}?{query_string}")
    messages.success(request, _("Search saved: %(name)s.") % {"name": saved.name})
    return redirect(f"{_search_url()}?{saved.query_string}")


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.saved_search_delete(person=cast(Person, request.user), pk=pk, now=clock.now())
    messages.success(request, _("Saved search deleted."))
    return redirect(_search_url())


def _search_url() -> str:
    return reverse("search:search")
