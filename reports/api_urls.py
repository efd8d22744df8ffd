from django.urls import path

from . import api

urlpatterns = [
    path("units/<int:pk>/audit/", api.UnitAuditApi.as_view(), name="unit_audit"),
]
