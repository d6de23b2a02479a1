from django.urls import path

from implementation import views

app_name = "implementation"

urlpatterns = [
    path("implementation/", views.leaders, name="leaders"),
    path("implementation/download/", views.download, name="download"),
    path("implementation/training/", views.training, name="training"),
    path("implementation/training/mine/", views.my_training, name="my_training"),
    path(
        "implementation/training/staff/<int:staff_id>/",
        views.worker_training,
        name="worker_training",
    ),
    path(
        "implementation/training/staff/<int:staff_id>/practice-lead/",
        views.lead_role_add,
        name="lead_role_add",
    ),
    path(
        "implementation/training/records/<int:training_record_id>/remove/",
        views.training_remove,
        name="training_remove",
    ),
    path(
        "implementation/training/practice-lead/<int:lead_role_id>/end/",
        views.lead_role_end,
        name="lead_role_end",
    ),
    path("implementation/settings/", views.settings_page, name="settings"),
    path("implementation/settings/domains/", views.domain_add, name="domain_add"),
    path(
        "implementation/settings/domains/<int:implementation_domain_id>/active/",
        views.domain_active,
        name="domain_active",
    ),
    path("implementation/settings/courses/", views.course_add, name="course_add"),
    path(
        "implementation/settings/courses/<int:training_course_id>/active/",
        views.course_active,
        name="course_active",
    ),
    path("implementation/rounds/", views.rounds, name="rounds"),
    path(
        "implementation/rounds/<int:assessment_round_id>/", views.round_detail, name="round_detail"
    ),
    path(
        "implementation/rounds/<int:assessment_round_id>/map/",
        views.round_note_add,
        name="round_note_add",
    ),
    path(
        "implementation/rounds/<int:assessment_round_id>/close/",
        views.round_close,
        name="round_close",
    ),
    path("implementation/plan/", views.plan, name="plan"),
    path("implementation/plan/<int:plan_action_id>/", views.action_edit, name="action_edit"),
]
