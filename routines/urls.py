from django.urls import path

from .views import catalog

app_name = "routines"

urlpatterns = [
    # Library (issue: technique library)
    path("", catalog.home, name="home"),
    path("techniques/", catalog.technique_list, name="technique-list"),
    path("techniques/<slug:slug>/", catalog.technique_detail, name="technique-detail"),
    path("zones/", catalog.zone_map, name="zone-map"),
    path("zones/<slug:slug>/", catalog.zone_detail, name="zone-detail"),
    path("contraindications/", catalog.contraindication_list, name="contraindication-list"),
    path("massage-types/", catalog.massage_type_list, name="massage-type-list"),
    # Accounts, screening and routine builder
    # Session page
    # Courses
]
