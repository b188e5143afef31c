"""The statistics screens: the table of a period (every number opens its documents), its XLSX
and PDF, the charts of the months, the directive's compliance board, the kept periodic reports."""

from __future__ import annotations

from typing import Any
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.documents.policies import documents_visible_to
from vanthu.org.models import Person
from vanthu.reports import measures as m
from vanthu.reports import presenters
from vanthu.reports import selectors
from vanthu.reports import services
from vanthu.reports.forms import PeriodForm
from vanthu.reports.forms import ScoreRuleForm
from vanthu.reports.forms import TargetForm
from vanthu.reports.forms import chosen_period
from vanthu.reports.levels import LEVEL_LABELS
from vanthu.reports.models import GeneratedReport
from vanthu.reports.models import ScoreRule
from vanthu.reports.pdf import report_pdf
from vanthu.reports.periods import PeriodKind
from vanthu.reports.policies import can_change_targets
from vanthu.reports.scores import scores
from vanthu.reports.xlsx import report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> PeriodForm:
    today = clock.vietnam_date(clock.now())
    data = request.GET if any(key in request.GET for key in PeriodForm.base_fields) else None
    return PeriodForm(data, today=today)


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = cast(Person, request.user)
    scope = selectors.require_scope(person, now)
    form = _form(request)
    period, error = chosen_period(form)
    context: dict[str, Any] = {"form": form, "error": error, "measures": m.MEASURES}
    status = 200
    if period is None:
        status = 400
    else:
        table = selectors.table_from_lines(
            selectors.period_lines(scope=scope, period=period, now=now), period=period, now=now
        )
        query = presenters.period_query(period)
        context |= {
            "period": period,
            "table": table,
            "groups": presenters.column_groups(table.columns),
            "rows": presenters.table_rows(table, query=query),
            "query": query,
            "charts": presenters.month_charts(
                selectors.monthly_totals(scope=scope, months=presenters.trend_months(now), now=now)
            ),
            "level_chart": presenters.level_chart(table),
            "scores": scores(table) if period.kind == PeriodKind.YEAR else [],
        }
    return render(request, "reports/statistics.html", context, status=status)


def _table_for_export(request: HttpRequest) -> Any:
    now = clock.now()
    person = cast(Person, request.user)
    period, error = chosen_period(_form(request))
    if period is None:
        raise ValidationError(error, code="bad_period")
    return selectors.period_table(person=person, period=period, now=now), period


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    table, period = _table_for_export(request)
    response = HttpResponse(report_xlsx(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="thong-ke-van-ban-dien-tu-{period.slug}.xlsx"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    table, period = _table_for_export(request)
    response = HttpResponse(report_pdf(table), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thong-ke-van-ban-dien-tu-{period.slug}.pdf"'
    return response


@login_required
@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    """The documents behind one number (metadata; a link where the person may open the document)."""
    now = clock.now()
    person = cast(Person, request.user)
    period, error = chosen_period(_form(request))
    if period is None:
        raise ValidationError(error, code="bad_period")
    key = str(request.GET.get("measure") or "")
    agency_raw = str(request.GET.get("agency") or "")
    if agency_raw and not agency_raw.isdigit():
        raise ValidationError(_("This agency is not known."), code="bad_agency")
    listed = selectors.documents_behind(
        person=person, key=key, agency_id=int(agency_raw) if agency_raw else None, period=period, now=now
    )
    openable = set(
        documents_visible_to(person, now).filter(pk__in=[d.pk for d in listed.documents]).values_list("pk", flat=True)
    )
    context = {
        "listed": listed,
        "rows": presenters.document_rows(listed.documents, openable),
        "back_query": presenters.period_query(period),
    }
    return render(request, "reports/documents.html", context)


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = cast(Person, request.user)
    months, lines = selectors.compliance_board(person=person, now=now)
    context = presenters.compliance_context(months, lines)
    may_change = can_change_targets(person, now)
    context["targets"] = [
        (target, LEVEL_LABELS[level], TargetForm(initial=vars(target) | {"level": level.value}) if may_change else None)
        for level, target in selectors.targets().items()
    ]
    return render(request, "reports/compliance.html", context)


@login_required
@require_POST
def target_change(request: HttpRequest) -> HttpResponse:
    form = TargetForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{form.fields[field].label}: {errors[0]}" if field in form.fields else str(errors[0]))
        return redirect("reports:compliance")
    data = form.cleaned_data
    try:
        services.directive_target_set(
            level=data["level"],
            starts_on=data["starts_on"],
            target_rate=data["target_rate"],
            warning_rate=data["warning_rate"],
            actor=cast(Person, request.user),
            now=clock.now(),
        )
    except DomainError as error:
        if isinstance(error, PermissionDeniedError):
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The directive's target is changed."))
    return redirect("reports:compliance")


@login_required
@require_GET
def generated(request: HttpRequest) -> HttpResponse:
    """The periodic reports generated for the Department of Finance, kept as they were sent."""
    selectors.require_scope(cast(Person, request.user), clock.now())
    reports = GeneratedReport.objects.defer("xlsx", "pdf")[:60]
    return render(request, "reports/generated.html", {"reports": reports})


@login_required
@require_GET
def generated_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    selectors.require_scope(cast(Person, request.user), clock.now())
    report = get_object_or_404(GeneratedReport, pk=pk)
    if fmt == "pdf":
        response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    elif fmt == "xlsx":
        response = HttpResponse(bytes(report.xlsx), content_type=XLSX)
    else:
        raise Http404
    name = f"bao-cao-{report.kind}-{report.period_start:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """The rules of the yearly IT-use evaluation; the province's inspectors change them."""
    now = clock.now()
    person = cast(Person, request.user)
    selectors.require_scope(person, now)
    may_change = can_change_targets(person, now)
    rows = [
        (rule, ScoreRuleForm(initial=vars(rule), prefix=f"r{rule.pk}") if may_change else None)
        for rule in ScoreRule.objects.order_by("ordinal", "pk")
    ]
    context = {"rows": rows, "new_form": ScoreRuleForm(prefix="new") if may_change else None}
    return render(request, "reports/rules.html", context)


@login_required
@require_POST
def rule_save(request: HttpRequest) -> HttpResponse:
    raw_pk = str(request.POST.get("pk") or "")
    prefix = f"r{raw_pk}" if raw_pk.isdigit() else "new"
    form = ScoreRuleForm(request.POST, prefix=prefix)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {errors[0]}" if label else str(errors[0]))
        return redirect("reports:rules")
    data = form.cleaned_data
    try:
        services.score_rule_save(
            pk=int(raw_pk) if raw_pk.isdigit() else None,
            label=data["label"],
            measure=data["measure"],
            comparison=data["comparison"],
            threshold=data["threshold"],
            points=data["points"],
            is_active=bool(data.get("is_active")),
            actor=cast(Person, request.user),
            now=clock.now(),
        )
    except DomainError as error:
        if isinstance(error, PermissionDeniedError):
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The evaluation's rule is saved."))
    return redirect("reports:rules")
