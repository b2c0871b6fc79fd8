from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Department, Force, Person, PersonStatusChange, Rank, Team, User

# Only a superuser may see who is a superuser or holds permissions outside their roles.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")
# Issue 20: roles, single permissions and the person <-> user link change only through the
# four-eyes grants page (accounts.grants), never by editing here — not even for a superuser.
GRANT_FIELDS = ("groups", "user_permissions", "is_superuser")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("PSD", {"fields": ("team",)}))
    list_display = ("username", "first_name", "last_name", "team", "is_active")
    list_filter = ("groups", "team", "is_active")
    readonly_fields = (*GRANT_FIELDS, "last_login", "date_joined")

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
    autocomplete_fields = ("line_manager",)
    readonly_fields = ("status", "user")  # the link changes through accounts.grants only
    inlines = [StatusHistoryInline]
