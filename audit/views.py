"""The audit trail's search page: content for auditors, administration metadata for the
administrator (``views_scope``)."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import render

from . import selectors, views_scope
from .forms import AuditSearchForm
from .labels import record_names, table_label
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


def _metadata_form(form: AuditSearchForm) -> AuditSearchForm:
    """The administrator's form: no content filters, administration tables only."""
    for name in views_scope.CONTENT_FILTERS:
        form.fields.pop(name, None)
    tables = [("", "Any"), *[(t, table_label(t)) for t in views_scope.ADMINISTRATION_TABLES]]
    form.fields["table"].choices = tables
    return form


def _page(filters, before_seq, *, content: bool):
    entries = selectors.auditentry_search(filters=filters, before_seq=before_seq)
    if not content:
        entries = entries.filter(views_scope.administration_entries())
    rows = list(entries[: selectors.PAGE_SIZE + 1])
    more = len(rows) > selectors.PAGE_SIZE
    rows = rows[: selectors.PAGE_SIZE]
    return rows, (rows[-1].seq if more and rows else None)


@permission_required("audit.view_auditentry", raise_exception=True)
def search(request):
    content = views_scope.reads_content(request.user)
    if not content and views_scope.names_content(request.GET):
        raise PermissionDenied  # the administrator does not search content records
    form = AuditSearchForm(request.GET or None)
    if not content:
        form = _metadata_form(form)
    rows, next_seq, query = [], None, QueryDict(mutable=True)
    if form.is_bound and form.is_valid() or not form.is_bound:
        filters = _filters(form) if form.is_bound else selectors.AuditFilters()
        before = request.GET.get("before", "")
        rows, next_seq = _page(filters, int(before) if before.isdigit() else None, content=content)
        used = {k: v for k, v in request.GET.items() if v and k != "before"}
        query.update(used)
        if used:  # who searched the trail for what is itself on the trail
            audit_event(actor=request.user, action="audit.searched", data=used)
    names = record_names(rows)
    for entry in rows:  # human names of the records (issue 22), the table names folded away
        entry.record_label = table_label(entry.table_name) if entry.table_name else ""
        entry.record_name = names.get((entry.table_name, entry.object_pk)) or (
            entry.target_label if content else ""
        )
    entries = [(entry, selectors.changed_fields(entry) if content else []) for entry in rows]
    context = {
        "form": form,
        "entries": entries,
        "next_seq": next_seq,
        "query": query.urlencode(),
        "content": content,
    }
    return render(request, "audit/search.html", context)
