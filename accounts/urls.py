from django.urls import path

from . import grant_views, views

app_name = "accounts"

urlpatterns = [
    path("dashboard/<str:role>/", views.dashboard, name="dashboard"),
    path("personnel/", views.person_list, name="person_list"),
    path("personnel/new/", views.person_create, name="person_create"),
    path("personnel/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnel/<int:pk>/edit/", views.person_update, name="person_update"),
    path("personnel/<int:pk>/status/", views.person_status, name="person_status"),
    path("grants/", grant_views.grant_list, name="grants"),
    path("grants/<int:pk>/<str:verdict>/", grant_views.grant_decide, name="grant_decide"),
]
