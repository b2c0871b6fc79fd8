from django.urls import path

from . import views

app_name = "portability"

urlpatterns = [
    path("", views.exports, name="exports"),
    path("<int:pk>/", views.export_detail, name="export_detail"),
]
