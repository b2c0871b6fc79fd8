"""Reference data an administrator edits: levels (renewal intervals), checks, refusal reasons
and posts. Applications and clearances change only through the vetting pages (services)."""

from django.contrib import admin

from .models import Post, RefusalReason, VettingCheck, VettingLevel


@admin.register(VettingLevel)
class VettingLevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "renewal_months", "recorded_only", "order")
    list_editable = ("renewal_months",)


@admin.register(VettingCheck)
class VettingCheckAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "mandatory", "active", "order")


@admin.register(RefusalReason)
class RefusalReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "active", "order")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "required_level")
    list_filter = ("required_level", "department")
    search_fields = ("name",)
