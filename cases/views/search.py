"""One search over cases and people (issue 22 item 5; the indexes of issue 21 item 3)."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.selectors import person_search

from .. import selectors
from ..selectors.cases import CaseFilters
from ..selectors.search import as_reference
from .case_list import rows_html

PEOPLE_SHOWN = 10
MAX_LENGTH = 100


@require_GET
def search(request):
    """Cases the user may see that the term finds (reference, people, words in summaries),
    a page at a time, and people in the register when the user may see it."""
    # NUL cannot reach PostgreSQL in a text parameter (a form field would refuse it likewise).
    q = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_LENGTH]
    context = {"q": q, "search_query": q, "query": urlencode({"q": q})}
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
