from django.contrib import admin

from .models import Deadline, DeadlineKind, NonWorkingDay, Notification


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ("date", "description")
    date_hierarchy = "date"


@admin.register(DeadlineKind)
class DeadlineKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "amount", "counting", "reminder_days", "citation")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()  # services look kinds up by code


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Read-only: deadlines change only through the services (the case workflow)."""

    list_display = ("kind", "label", "due_date", "status", "owner", "overdue_since")
    list_filter = ("status", "kind")
    search_fields = ("label",)
    list_select_related = ("kind", "owner")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "threshold", "created_at", "emailed_at")
    list_filter = ("kind",)
    list_select_related = ("recipient",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
