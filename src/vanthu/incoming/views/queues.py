"""The queues page: tabs with counts, filters, a paginated list (cards on a phone)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanthu.core import clock
from vanthu.incoming import forms
from vanthu.incoming import presenters
from vanthu.incoming import selectors
from vanthu.incoming.views.common import person_of

PAGE_SIZE = 30


def _default_queue(counts: dict[str, int]) -> str:
    """The first queue with work in it, else "to_handle"."""
    for queue in selectors.Queue:
        if counts.get(queue.value) and queue != selectors.Queue.DONE:
            return queue.value
    return selectors.Queue.TO_HANDLE.value


@login_required
@require_GET
def queues(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    counts = selectors.queue_counts(person=person, now=now)
    queue = request.GET.get("queue") or _default_queue(counts)
    filter_form = forms.QueueFilterForm(request.GET or None)
    incomings = selectors.incoming_queue_for(person=person, queue=queue, now=now, filters=filter_form.filters())
    page = Paginator(incomings, PAGE_SIZE).get_page(request.GET.get("page"))
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
        "may_receive": bool(selectors.clerk_agency_ids(person=person, now=now)),
    }
    template = "incoming/queues.html#queue-list" if getattr(request, "htmx", False) else "incoming/queues.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response
