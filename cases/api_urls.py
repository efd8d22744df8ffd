"""Routes of the cases API (mounted in config/urls.py under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("youths/", api.YouthListApi.as_view(), name="youth_list"),
    path("youths/<int:pk>/", api.YouthDetailApi.as_view(), name="youth_detail"),
    path("youths/<int:pk>/timeline/", api.YouthTimelineApi.as_view(), name="youth_timeline"),
    path("youths/<int:pk>/contacts/", api.YouthContactListApi.as_view(), name="youth_contacts"),
    path("youths/<int:pk>/offences/", api.YouthOffenceListApi.as_view(), name="youth_offences"),
    path("youths/<int:pk>/followup/assign/", api.FollowUpAssignApi.as_view(), name="followup_assign"),
    path("youths/<int:pk>/followup/close/", api.FollowUpCloseApi.as_view(), name="followup_close"),
    path("contacts/<int:pk>/", api.ContactDetailApi.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/versions/", api.ContactVersionListApi.as_view(), name="contact_versions"),
]
