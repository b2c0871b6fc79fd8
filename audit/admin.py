"""Administrators set retention periods here. The audit trail itself has no admin: it is
read on /audit/ and never edited."""

from django.contrib import admin

from .models import RetentionPolicy, RetentionReview


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["record_type", "description", "period_months", "basis_label", "active"]
    list_editable = ["period_months", "active"]
    readonly_fields = ["record_type"]

    def has_add_permission(self, request):
        return False  # policies are seeded by migrations, one per record type

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionReview)
class RetentionReviewAdmin(admin.ModelAdmin):
    """Read-only: decisions go through ``manage.py retention_review`` (audited services)."""

    list_display = ["pk", "policy", "status", "proposed_by", "approved_by", "proposed_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
