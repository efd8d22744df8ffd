from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/logg/", views.unit_audit, name="unit_audit"),
]
