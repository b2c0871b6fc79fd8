"""The auditors' search of the audit trail."""

from django.contrib.auth.decorators import permission_required
from django.http import QueryDict
from django.shortcuts import render

from . import selectors
from .forms import AuditSearchForm
from .services import audit_event


def _filters(form: AuditSearchForm) -> selectors.AuditFilters:
    data = form.cleaned_data
    return selectors.AuditFilters(
        person_id=data.get("person"),
        case=data.get("case", ""),
        table=data.get("table", ""),
        object_pk=data.get("object_pk", ""),
        label=data.get("label", ""),
        username=data.get("username", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        action=data.get("action", ""),
        kind=data.get("kind", ""),
    )


@permission_required("audit.view_auditentry", raise_exception=True)
def search(request):
    form = AuditSearchForm(request.GET or None)
    rows, next_seq, query = [], None, QueryDict(mutable=True)
    if form.is_bound and form.is_valid() or not form.is_bound:
        filters = _filters(form) if form.is_bound else selectors.AuditFilters()
        before = request.GET.get("before", "")
        rows, next_seq = selectors.auditentry_page(
            filters=filters, before_seq=int(before) if before.isdigit() else None
        )
        used = {k: v for k, v in request.GET.items() if v and k != "before"}
        query.update(used)
        if used:  # who searched the trail for what is itself on the trail
            audit_event(actor=request.user, action="audit.searched", data=used)
    entries = [(entry, selectors.changed_fields(entry)) for entry in rows]
    context = {"form": form, "entries": entries, "next_seq": next_seq, "query": query.urlencode()}
    return render(request, "audit/search.html", context)
