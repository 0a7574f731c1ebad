from django.urls import path

from .views import accounts, builder, catalog, my_account, ready_made, screening, session
from .views import courses as course_views

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
    path("accounts/me/", my_account.account, name="account"),
    path("accounts/me/data.json", my_account.account_data, name="account-data"),
    path("accounts/me/delete/", my_account.account_delete, name="account-delete"),
    path("accounts/goodbye/", my_account.account_deleted, name="account-deleted"),
    path("me/screening/", screening.screening, name="screening"),
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
    path("me/routines/<int:pk>/start/", session.session_start, name="session-start"),
    path("me/sessions/<int:pk>/", session.session_run, name="session-run"),
    path("me/sessions/<int:pk>/step/", session.session_step, name="session-step"),
    path("me/sessions/<int:pk>/summary/", session.session_summary, name="session-summary"),
    # Courses
    path("dashboard/", course_views.dashboard, name="dashboard"),
    path("courses/new/", course_views.course_new, name="course-new"),
    path("courses/<int:pk>/", course_views.course_detail, name="course-detail"),
    path("courses/<int:pk>/postpone/", course_views.course_postpone, name="course-postpone"),
    path("courses/<int:pk>/stop/", course_views.course_stop, name="course-stop"),
    path("courses/<int:pk>/schedule.ics", course_views.course_schedule, name="course-schedule"),
    path("courses/<int:pk>/card/", course_views.course_card, name="course-card"),
    path(
        "courses/<int:pk>/sessions/<int:index>/start/",
        course_views.course_session_start,
        name="course-session-start",
    ),
    path(
        "courses/<int:pk>/sessions/<int:index>/postpone/",
        course_views.course_session_postpone,
        name="course-session-postpone",
    ),
    path("me/routines/<int:pk>/card/", builder.routine_card, name="routine-card"),
]
