from django.urls import path

from org import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="me"),
    path("districts/", api.DistrictListApi.as_view(), name="district_list"),
    path("units/", api.UnitListApi.as_view(), name="unit_list"),
    path("units/<int:pk>/", api.UnitDetailApi.as_view(), name="unit_detail"),
]
