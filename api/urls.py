from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from . import docs, views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.APIRootView = views.Root
router.register("cases", views.CaseViewSet, basename="case")
router.register("people", views.PersonViewSet, basename="person")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
urlpatterns = [
    path("statistics/", views.Statistics.as_view(), name="statistics"),
    path("list-entries/", views.ListEntries.as_view(), name="list-entries"),
    path(
        "list-entries/<str:kind>/<str:id>/actions/<str:name>/",
        views.ListEntryAction.as_view(),
        name="list-entry-action",
    ),
    path("schema/", docs.Schema.as_view(), name="schema"),
    path("docs/", docs.SwaggerDocs.as_view(url_name="api:schema"), name="docs"),
    path("token/", docs.token, name="token"),
    *router.urls,
    re_path(r"^.+$", views.not_found, name="not-found"),
]
