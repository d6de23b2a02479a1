from django.urls import path

from safety import views

app_name = "safety"

NETWORK = "cases/<int:case_id>/network/"
PLANS = "cases/<int:case_id>/safety-plans/"
PLAN = PLANS + "<int:plan_id>/"
TRAJECTORY = "cases/<int:case_id>/trajectory/"

urlpatterns = [
    path(NETWORK, views.network, name="network"),
    path(NETWORK + "add/", views.network_member_add, name="network_member_add"),
    path(NETWORK + "<int:member_id>/edit/", views.network_member_edit, name="network_member_edit"),
    path(
        NETWORK + "<int:member_id>/status/",
        views.network_member_status,
        name="network_member_status",
    ),
    path(PLANS, views.plan_list, name="plan_list"),
    path(PLANS + "start/", views.plan_start, name="plan_start"),
    path(PLAN, views.plan_detail, name="plan_detail"),
    path(PLAN + "details/", views.plan_details_update, name="plan_details_update"),
    path(PLAN + "rules/", views.rule_add, name="rule_add"),
    path(PLAN + "rules/<int:rule_id>/edit/", views.rule_edit, name="rule_edit"),
    path(PLAN + "rules/<int:rule_id>/remove/", views.rule_remove, name="rule_remove"),
    path(PLAN + "agree/", views.plan_agree, name="plan_agree"),
    path(PLAN + "reviews/", views.review_add, name="review_add"),
    path(PLAN + "check-ins/", views.check_in_add, name="check_in_add"),
    path(PLAN + "plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(PLAN + "plan.docx", views.plan_docx, name="plan_docx"),
    path(TRAJECTORY, views.trajectory, name="trajectory"),
    path(TRAJECTORY + "stages/", views.stage_add, name="stage_add"),
    path(TRAJECTORY + "stages/<int:stage_id>/edit/", views.stage_edit, name="stage_edit"),
    path(TRAJECTORY + "stages/<int:stage_id>/remove/", views.stage_remove, name="stage_remove"),
]
