from django.urls import path

from org import views

app_name = "org"

urlpatterns = [
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
]
