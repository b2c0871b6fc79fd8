from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from audit.services import audit_read
from psd.domain import DomainError
from psd.roles import DASHBOARD_PERMISSION, Role, user_roles

from . import selectors, services
from .forms import PersonForm, PersonSearchForm, PersonStatusForm
from .models import Person
from .person_sections import sections_for


def home(request):
    """Send the user to the dashboard of their first role."""
    for role in user_roles(request.user):
        return redirect("accounts:dashboard", role=role.value)
    if request.user.is_superuser:
        return redirect("accounts:dashboard", role=Role.ADMINISTRATOR.value)
    return render(request, "accounts/no_role.html")


def dashboard(request, role: str):
    try:
        role = Role(role)
    except ValueError:
        raise Http404 from None
    if not request.user.has_perm(f"accounts.{DASHBOARD_PERMISSION[role]}"):
        raise PermissionDenied
    return render(request, f"dashboards/{role.value}.html", {"role": role})


@permission_required("accounts.view_person", raise_exception=True)
def person_list(request):
    form = PersonSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.person_search(query=query), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/person_list.html", {"form": form, "page": page, "q": query})


@permission_required("accounts.view_person", raise_exception=True)
def person_detail(request, pk: int):
    try:
        person = selectors.person_get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None
    audit_read(user=request.user, obj=person, request=request)  # DPA 2018 s62
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "history": person.status_history.select_related("recorded_by"),
            "sections": sections_for(request, person),
        },
    )


@permission_required("accounts.add_person", raise_exception=True)
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{person.full_name} added to the register.")
            return redirect(person)
    return render(request, "accounts/person_form.html", {"form": form})


@permission_required("accounts.change_person", raise_exception=True)
def person_update(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(person)
    return render(request, "accounts/person_form.html", {"form": form, "person": person})


@permission_required("accounts.change_person", raise_exception=True)
def person_status(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = PersonStatusForm(request.POST or None, initial={"status": person.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_set_status(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Status changed to {person.get_status_display()}.")
            return redirect(person)
    return render(request, "accounts/person_status_form.html", {"form": form, "person": person})
