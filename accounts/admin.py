from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Department, Force, Person, PersonStatusChange, Rank, Team, User

# Only a superuser may make superusers or give a user permissions outside their roles: the
# administrator manages accounts and roles (groups) but cannot grant themselves everything.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("PSD", {"fields": ("team",)}))
    list_display = ("username", "first_name", "last_name", "team", "is_active")
    list_filter = ("groups", "team", "is_active")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": _without(options["fields"], SUPERUSER_ONLY_FIELDS)})
            for name, options in fieldsets
        ]


def _without(fields, removed) -> tuple:
    return tuple(f for f in fields if f not in removed)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "supervisor", "receives_anonymous_reports")
    search_fields = ("name",)
    autocomplete_fields = ("supervisor",)


@admin.register(Force, Department)
class NamedAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "order", "is_chief_officer")


class StatusHistoryInline(admin.TabularInline):
    model = PersonStatusChange
    extra = 0
    readonly_fields = ("status", "effective_date", "reason", "recorded_by", "recorded_at")
    can_delete = False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("number", "surname", "forename", "role_type", "rank", "department", "status")
    list_filter = ("role_type", "status", "force", "department")
    search_fields = ("surname", "forename", "number")
    autocomplete_fields = ("line_manager", "user")
    readonly_fields = ("status",)
    inlines = [StatusHistoryInline]
