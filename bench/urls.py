"""The benchmark's URLconf: the project's URLs plus a throwaway admin site for the baselines
(cases are deliberately not in the production admin). Served by bench/settings.py, in-process
and by gunicorn alike, so both sides of a comparison run the same middleware."""

from django.contrib import admin
from django.urls import include, path

from accounts.models import Person
from cases.models import Case

PAGE = 25


class CaseAdmin(admin.ModelAdmin):
    """The admin a competent engineer would configure for a big table (issue 21): related rows
    joined (no N+1), no second COUNT(*) of the whole table, raw-id widgets (no <select> of
    675,000 cases)."""

    list_display = ("reference", "case_type", "state", "received_on", "investigator", "team")
    list_select_related = ("investigator", "team")
    show_full_result_count = False
    list_per_page = PAGE
    raw_id_fields = ("investigator", "supervisor", "team", "linked_case", "created_by")


class PersonAdmin(admin.ModelAdmin):
    """Personnel search by surname prefix (``^surname``: ``UPPER(surname) LIKE 'SMI%'``, which
    the prefix index of accounts/0005 serves), as the project's own search."""

    list_display = ("surname", "forename", "number", "force", "rank")
    list_select_related = ("force", "rank")
    search_fields = ("^surname",)
    show_full_result_count = False
    list_per_page = 50


SITE = admin.AdminSite(name="bench_admin")
SITE.register(Case, CaseAdmin)
SITE.register(Person, PersonAdmin)

handler500 = "psd.outage.server_error"
urlpatterns = [path("bench-admin/", SITE.urls), path("", include("psd.urls"))]
