from django.contrib import admin

from .models import Deadline, DeadlineExtension, DeadlineKind, NonWorkingDay, Notification


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Deadline labels and notification titles name cases ("PSD-2026-000123: ..."): content
    the administrator role must not read (issue 20). People read their own on /deadlines/ and
    /notifications/; here only the emergency superuser sees them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ("date", "description")
    date_hierarchy = "date"


@admin.register(DeadlineKind)
class DeadlineKindAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "unit",
        "amount",
        "counting",
        "reminder_days",
        "pauses_during_suspension",
        "citation",
    )
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()  # services look kinds up by code


class DeadlineExtensionInline(admin.TabularInline):
    """Each extension of the clock: who moved it, when, from and to which date, and why."""

    model = DeadlineExtension
    extra = 0
    can_delete = False
    fields = ("previous_due_date", "new_due_date", "reason", "extended_by", "extended_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(SuperuserOnlyAdmin):
    """Read-only: deadlines change only through the services (the case workflow)."""

    inlines = [DeadlineExtensionInline]

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
class NotificationAdmin(SuperuserOnlyAdmin):
    list_display = ("title", "recipient", "kind", "threshold", "created_at", "emailed_at")
    list_filter = ("kind",)
    list_select_related = ("recipient",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
