from django.urls import path

from .views import accounts, builder, catalog, ready_made

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
    path("accounts/signup/", accounts.signup, name="signup"),
    path("me/screening/", accounts.screening, name="screening"),
    path("me/routines/", builder.routine_list, name="routine-list"),
    path("me/routines/new/", builder.routine_create, name="routine-create"),
    path("me/routines/add-step/", builder.step_add_to_routine, name="step-add-to-routine"),
    path("me/routines/<int:pk>/", builder.builder, name="builder"),
    path("me/routines/<int:pk>/rename/", builder.routine_rename, name="routine-rename"),
    path("me/routines/<int:pk>/duplicate/", builder.routine_duplicate, name="routine-duplicate"),
    path("me/routines/<int:pk>/delete/", builder.routine_delete, name="routine-delete"),
    path("me/routines/<int:pk>/fix/", builder.routine_fix, name="routine-fix"),
    path("me/routines/<int:pk>/steps/add/", builder.step_add, name="step-add"),
    path("me/routines/<int:pk>/steps/<int:step_pk>/edit/", builder.step_edit, name="step-edit"),
    path(
        "me/routines/<int:pk>/steps/<int:step_pk>/delete/",
        builder.step_delete,
        name="step-delete",
    ),
    path("me/routines/<int:pk>/steps/<int:step_pk>/move/", builder.step_move, name="step-move"),
    path("routines/ready-made/", ready_made.ready_made_list, name="ready-made-list"),
    path(
        "routines/ready-made/<slug:slug>/",
        ready_made.ready_made_detail,
        name="ready-made-detail",
    ),
    path(
        "routines/ready-made/<slug:slug>/copy/",
        ready_made.ready_made_copy,
        name="ready-made-copy",
    ),
    # Session page
    # Courses
]
