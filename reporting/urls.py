from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.triage_list, name="triage_list"),
    path("<int:pk>/", views.triage_detail, name="triage_detail"),
    path("<int:pk>/trail/", views.triage_events, name="triage_events"),
    path("<int:pk>/ask/", views.triage_ask, name="triage_ask"),
    path("<int:pk>/close/", views.triage_close, name="triage_close"),
    path("<int:pk>/conduct-matter/", views.triage_conduct_matter, name="triage_conduct_matter"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
]
