from django.urls import path

from . import public_views

app_name = "report"

urlpatterns = [
    path("", public_views.report_new, name="new"),
    path("follow-up/", public_views.follow_up, name="follow_up"),
    path("follow-up/reply/", public_views.follow_up_reply, name="reply"),
]
