from django.urls import path

from . import complaint_views

app_name = "complaint"

urlpatterns = [
    path("", complaint_views.start, name="start"),
    path("check/", complaint_views.check, name="check"),
    path("sent/", complaint_views.sent, name="sent"),
    path("<slug:step>/", complaint_views.step, name="step"),
]
