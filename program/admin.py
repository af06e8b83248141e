"""Admins set the program's targets here (or through ``/api/v1/program/targets/``)."""

from django.contrib import admin

from program.models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("year", "sector", "products", "note", "updated_at")
    list_filter = ("sector", "year")
    list_editable = ("products",)
