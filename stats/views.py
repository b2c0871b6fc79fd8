"""The statistics page (with CSV export of every table) and the legacy import page."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import charts, groups, legacy_csv, selectors, services, snapshots
from .forms import ImportForm, PeriodForm


@permission_required("stats.view_statistics", raise_exception=True)
def statistics(request):
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "stats/statistics.html", {"form": form}, status=400)
    period, scope = form.period(), form.scope()
    live = bool(request.GET.get("live"))
    if request.GET.get("format") == "csv":
        return _csv(period, scope, request.GET.get("table", ""), live)
    tables, as_of = ({}, None) if live else snapshots.snapshot_get(period=period, scope=scope)
    tables = tables or selectors.statistics_tables(period=period, scope=scope)
    context = {
        "as_of": as_of,
        "form": form,
        "period": period,
        "scope": scope,
        "tables": tables,
        "query": request.GET.urlencode(),
        "outcome_chart": charts.outcome_share_chart(tables["outcomes"]),
        "trend_chart": charts.trend_chart(tables["trend"]),
        "rules": groups.RULES,
    }
    return render(request, "stats/statistics.html", context)


def _csv(period, scope, name: str, live: bool) -> HttpResponse:
    if name not in selectors.TABLES:
        raise Http404("No such table.")
    stored, _ = ({}, None) if live else snapshots.snapshot_get(period=period, scope=scope)
    table = stored.get(name) or selectors.statistics_table(period=period, scope=scope, name=name)
    response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
    filename = f"{table.name}-{period.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@permission_required("stats.import_allegations", raise_exception=True)
def import_allegations(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": legacy_csv.COLUMN_HELP}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = services.allegations_import(
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except services.ImportRefused as refused:
            context["refused"] = refused
    return render(request, "stats/import.html", context)
