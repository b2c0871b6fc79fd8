"""Helpers views call to log reads (DPA 2018 s62) and refused reads.

    from audit.reads import get_logged_or_404

    def case_detail(request, pk):
        case = get_logged_or_404(request, selectors.case_list(user=request.user), pk=pk)
        ...

The queryset must already be limited to what ``request.user`` may see: a record outside it
answers 404 (the user cannot tell "hidden" from "missing") and, when it exists, the attempt is
logged as ``read.refused``. Exports call ``audit_read(..., what="export")`` per record.
"""

from django.db.models import QuerySet
from django.http import Http404

from .services import audit_read, audit_refused_read


def get_logged_or_404(request, queryset: QuerySet, *, what: str = "page", **lookup):
    model = queryset.model
    try:
        obj = queryset.get(**lookup)
    except model.DoesNotExist:
        hidden = model._base_manager.filter(**lookup).values_list("pk", flat=True).first()
        if hidden is not None:
            audit_refused_read(user=request.user, model=model, pk=hidden, request=request)
        raise Http404 from None
    audit_read(user=request.user, obj=obj, request=request, what=what)
    return obj
