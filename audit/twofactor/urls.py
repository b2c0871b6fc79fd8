from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("setup/", views.enrol, name="enrol"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
