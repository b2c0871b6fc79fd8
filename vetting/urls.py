from django.urls import path

from . import views

app_name = "vetting"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_action,
        name="application_action",
    ),
    path("people/<int:pk>/", views.person_vetting, name="person"),
    path("people/<int:pk>/<slug:action>/", views.person_action, name="person_action"),
    path("due/", views.due_list, name="due"),
]
