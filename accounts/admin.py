from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Department, Force, Person, PersonStatusChange, Rank, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("PSD", {"fields": ("team",)}))
    list_display = ("username", "first_name", "last_name", "team", "is_active")
    list_filter = ("groups", "team", "is_active")


@admin.register(Team, Force, Department)
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
