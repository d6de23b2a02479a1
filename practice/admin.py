from django.contrib import admin

from practice.models import CategoryLabel


@admin.register(CategoryLabel)
class CategoryLabelAdmin(admin.ModelAdmin):
    """Where an agency sets its own wording for map categories, per service."""

    list_display = ["agency", "service", "category", "label"]
    list_filter = ["agency", "service"]
