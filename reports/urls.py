from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("enheter/<int:pk>/logg/", views.unit_audit, name="unit_audit"),
    path("enheter/<int:pk>/fyller-18/", views.unit_turning_18, name="unit_turning_18"),
]
