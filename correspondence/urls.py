from django.urls import path

from . import views

app_name = "correspondence"

urlpatterns = [
    path("templates/", views.templates, name="templates"),
    path("templates/<slug:kind>/", views.template_edit, name="template_edit"),
    path("cases/<str:reference>/", views.case_letters, name="case_letters"),
    path("cases/<str:reference>/update/", views.record_update, name="record_update"),
    path("cases/<str:reference>/bundle/", views.bundle_request, name="bundle_request"),
    path("cases/<str:reference>/bundle/<int:pk>/", views.bundle_download, name="bundle_download"),
]
