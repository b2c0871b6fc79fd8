from django.contrib import admin

from .models import StaffOutcomeKind


@admin.register(StaffOutcomeKind)
class StaffOutcomeKindAdmin(admin.ModelAdmin):
    """The force's staff disciplinary outcome list: administrators and the PSD head (the
    appropriate authority role) edit it. Outcomes in use are retired (``active``), not
    deleted."""

    list_display = ("name", "code", "barred_list_dismissal", "live_months", "order", "active")
    list_editable = ("order", "active")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False
