"""One search over cases and people (issue 22 item 5; the indexes of issue 21 item 3)."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.selectors import person_search

from .. import selectors
from ..forms import CaseFilterForm
from ..selectors.cases import CaseFilters
from ..selectors.search import as_reference
from .case_list import rows_html

PEOPLE_SHOWN = 10
# The case list's own search field: the same length limit and refusals (e.g. NUL characters,
# which PostgreSQL cannot take in a text parameter).
QUERY_FIELD = CaseFilterForm.base_fields["q"]


@require_GET
def search(request):
    """Cases the user may see that the term finds (reference, people, words in summaries),
    a page at a time, and people in the register when the user may see it."""
    try:
        q, error = QUERY_FIELD.clean(request.GET.get("q", "")), ""
    except ValidationError as invalid:
        q, error = "", " ".join(invalid.messages)
    context = {"q": q, "search_query": q, "query": urlencode({"q": q}), "error": error}
    user = request.user
    if q and user.has_perm("cases.view_case"):
        page = selectors.case_list_page(
            user=user, filters=CaseFilters(q=q), cursor=request.GET.get("after", "")
        )
        context.update(page=page, rows=rows_html(page.rows, timezone.localdate()))
    if q and user.has_perm("accounts.view_person") and not as_reference(q):
        people = list(person_search(query=q, limit=PEOPLE_SHOWN + 1))
        context.update(people=people[:PEOPLE_SHOWN], more_people=len(people) > PEOPLE_SHOWN)
    return render(request, "search.html", context)
