from django.urls import path

from .views import detail, lists

app_name = "cases"

urlpatterns = [
    path("lists/", lists.list_entries, name="lists"),
    path("<str:reference>/", detail.case_detail, name="detail"),
]
