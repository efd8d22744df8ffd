from django.contrib import admin

from .models import District, StaffRole, Unit


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
    list_display = ["number", "name", "max_youths_per_follower", "intake_interval_weeks"]
    ordering = ["number"]


class StaffRoleInline(admin.TabularInline[StaffRole, Unit]):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "kind", "district", "is_active"]
    list_filter = ["kind", "district", "is_active"]
    search_fields = ["name"]
    inlines = [StaffRoleInline]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin[StaffRole]):
    list_display = ["user", "role", "unit", "starts_on", "ends_on"]
    list_filter = ["role", "unit__kind", "unit__district"]
    search_fields = ["user__full_name", "user__email", "unit__name"]
    autocomplete_fields = ["user", "unit"]
