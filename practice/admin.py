from django.contrib import admin

from practice.models import CategoryLabel, PlainLanguageTerm


@admin.register(CategoryLabel)
class CategoryLabelAdmin(admin.ModelAdmin):
    """Where an agency sets its own wording for map categories, per service."""

    list_display = ["agency", "service", "category", "label"]
    list_filter = ["agency", "service"]


@admin.register(PlainLanguageTerm)
class PlainLanguageTermAdmin(admin.ModelAdmin):
    """Practice leads keep this list on their own page; the admin is for platform support."""

    list_display = ["agency", "term", "suggestion", "active"]
    list_filter = ["agency", "active"]
    search_fields = ["term", "suggestion"]
