from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import DeadlineFilterForm


@permission_required("deadlines.view_deadline", raise_exception=True)
def deadline_list(request):
    form = DeadlineFilterForm(request.GET or None, scopes=selectors.scopes_for(request.user))
    filters = form.filters()
    deadlines = selectors.deadline_list(user=request.user, **filters)
    page = Paginator(deadlines, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deadlines/deadline_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "scope": filters["scope"],
        },
    )


@permission_required("deadlines.view_notification", raise_exception=True)
def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "deadlines/notification_list.html", {"page": page})


@require_POST
@permission_required("deadlines.view_notification", raise_exception=True)
def notification_read(request, pk: int):
    """Mark one of your notifications read; with ``open`` go on to what it is about."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    url = notification.url if notification and "open" in request.POST else ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:list")


@require_POST
@permission_required("deadlines.view_notification", raise_exception=True)
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("notifications:list")
