from .models import ExportRun


def export_runs():
    return ExportRun.objects.select_related("requested_by").order_by("-requested_at", "-id")
