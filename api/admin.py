from django.contrib import admin

from api.models import ApiClient, ApiToken


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    can_delete = False
    # The hash is never shown: it is useless to a person and need not leave the database.
    fields = ["prefix", "created_at", "created_by", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # tokens are issued from the API clients page, which shows the secret once


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Read-only: clients are created and switched off on the administrators' API clients page,
    through audited services, never edited here."""

    list_display = ["name", "agency", "acting_user", "revoked_at"]
    list_filter = ["agency"]
    search_fields = ["name"]
    fields = ["agency", "name", "acting_user", "scopes", "created_by", "created_at", "revoked_at"]
    readonly_fields = fields
    inlines = [ApiTokenInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "client", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["client__agency"]
    fields = ["client", "prefix", "created_at", "created_by", "expires_at", "revoked_at"]
    fields += ["revoked_by", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
