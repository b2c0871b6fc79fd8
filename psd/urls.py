from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

# A backend outage answers 503 (JSON under /api/), anything else the 500 page: psd.outage.
handler500 = "psd.outage.server_error"

urlpatterns = [
    path("", include("accounts.home_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("account/2fa/", include("audit.twofactor.urls")),
    path("audit/", include("audit.urls")),
    path("", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("search/", include("cases.search_urls")),
    path("vetting/", include("vetting.urls")),
    path("statistics/", include("stats.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("notifications/", include("deadlines.notification_urls")),
    path("report/", include("reporting.public_urls")),
    path("complaint/", include("correspondence.public_urls")),
    path("correspondence/", include("correspondence.urls")),
    path("reports/", include("reporting.urls")),
    path("export/", include("portability.urls")),
    path("api/", include("api.urls")),
]
