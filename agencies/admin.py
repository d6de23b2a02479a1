from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from agencies.models import Agency, Team, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "service"]
    list_filter = ["agency", "service"]


@admin.register(User)
class ThreefoldUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "team", "role"]
    list_filter = ["agency", "role"]
    fieldsets = UserAdmin.fieldsets + (
        ("Agency", {"fields": ("agency", "team", "role", "job_title")}),
    )
