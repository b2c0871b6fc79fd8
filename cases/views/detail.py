from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render

from ..models import Case
from ..selectors import case_get


@permission_required("cases.view_case", raise_exception=True)
def case_detail(request, reference: str):
    try:
        case = case_get(user=request.user, reference=reference)
    except Case.DoesNotExist:
        raise Http404 from None
    allegations = case.allegations.select_related("category__parent").prefetch_related(
        "standards", "subjects__rank"
    )
    tracks = case.tracks.select_related("person__rank")
    timeline = case.transitions.select_related("actor", "track__person")
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "allegations": allegations,
            "tracks": tracks,
            "timeline": timeline,
            "complainants": case.complainants.all(),
        },
    )
