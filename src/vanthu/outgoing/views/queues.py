"""The queues page: tabs with counts, filters, a paginated list (cards on a phone)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanthu.core import clock
from vanthu.outgoing import forms
from vanthu.outgoing import presenters
from vanthu.outgoing import selectors
from vanthu.outgoing.views.circuits import circuit_agencies
from vanthu.outgoing.views.common import person_of
from vanthu.outgoing.views.paper import paper_agencies

PAGE_SIZE = 30


def _default_queue(counts: dict[str, int]) -> str:
    """The first queue with work in it, else "mine"."""
    for queue in selectors.Queue:
        if counts.get(queue.value):
            return queue.value
    return selectors.Queue.MINE.value


@login_required
@require_GET
def queues(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    counts = selectors.queue_counts(person=person, now=now)
    queue = request.GET.get("queue") or _default_queue(counts)
    filter_form = forms.QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters()
    if filter_form.is_bound and filter_form.is_valid():
        data = filter_form.cleaned_data
        filters = selectors.QueueFilters(
            document_type_id=data.get("type"),
            urgency=data.get("urgency") or "",
            text=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    outgoings = selectors.outgoing_queue_for(person=person, queue=queue, now=now, filters=filters)
    page = Paginator(outgoings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "queue": queue,
        "tabs": [
            {"queue": q.value, "label": selectors.QUEUE_LABELS[q], "count": counts[q.value]} for q in selectors.Queue
        ],
        "rows": presenters.queue_rows(page.object_list, now=now),
        "page": page,
        "querystring": query.urlencode(),
        "filter_form": filter_form,
        "may_create": bool(selectors.drafting_agencies(person=person, now=now)),
        "may_register_paper": bool(paper_agencies(person, now)),
        "may_set_circuits": bool(circuit_agencies(person, now)),
    }
    template = "outgoing/queues.html#queue-list" if getattr(request, "htmx", False) else "outgoing/queues.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response
