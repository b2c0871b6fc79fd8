"""The case list: filters, search, sort, keyset pagination and a streaming CSV export."""

import csv

from django.contrib.auth.decorators import permission_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.services import audit_read
from deadlines.selectors import next_deadlines_for

from ..forms import CaseFilterForm
from ..models import Case
from ..selectors_ui import case_page, case_search


@permission_required("cases.view_case", raise_exception=True)
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.filters()
    page = case_page(user=request.user, filters=filters, cursor=request.GET.get("after", ""))
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(query),
            "today": timezone.localdate(),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading = + - @ is quoted."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


HEADER = ["Reference", "Type", "State", "Received", "Investigator", "Team", "Next deadline"]


def _rows(cases, request, chunk=500):
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    batch: list[Case] = []
    for case in cases.iterator(chunk_size=chunk):
        batch.append(case)
        if len(batch) == chunk:
            yield from _write(writer, batch, request)
            batch = []
    yield from _write(writer, batch, request)


def _write(writer, batch, request):
    if not batch:
        return
    deadlines = next_deadlines_for(content_type=Case, ids=[c.pk for c in batch])
    for case in batch:
        # DPA 2018 s62: every exported record is a logged disclosure.
        audit_read(user=request.user, obj=case, request=request, what="export")
        deadline = deadlines.get(case.pk)
        yield writer.writerow(
            [
                _safe(value)
                for value in (
                    case.reference,
                    case.get_case_type_display(),
                    case.get_state_display(),
                    case.received_on.isoformat(),
                    case.investigator.get_full_name() if case.investigator else "",
                    case.team.name if case.team else "",
                    f"{deadline.due_date.isoformat()} {deadline.kind.name}" if deadline else "",
                )
            ]
        )


@permission_required("cases.view_case", raise_exception=True)
def case_list_csv(request):
    """The filtered list as CSV, streamed in chunks (one deadlines query per chunk)."""
    filters = CaseFilterForm(request.GET or None).filters()
    response = StreamingHttpResponse(
        _rows(case_search(user=request.user, filters=filters), request), content_type="text/csv"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
    return response
