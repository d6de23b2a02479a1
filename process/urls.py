from django.urls import path

from process import views

app_name = "process"

CASE = "cases/<int:case_id>/process/"

urlpatterns = [
    path("process/approvals/", views.approvals, name="approvals"),
    path(CASE, views.case_process, name="case_process"),
    path(CASE + "contacts/add/", views.contact_add, name="contact_add"),
    path(CASE + "referrals/add/", views.referral_add, name="referral_add"),
    path(
        CASE + "referrals/<int:referral_id>/decision/",
        views.referral_decide,
        name="referral_decide",
    ),
    path(CASE + "assessments/start/", views.assessment_start, name="assessment_start"),
    path(
        CASE + "assessments/<int:assessment_id>/complete/",
        views.assessment_complete,
        name="assessment_complete",
    ),
    path(
        CASE + "strategy-discussions/add/",
        views.strategy_discussion_add,
        name="strategy_discussion_add",
    ),
    path(CASE + "section-47/start/", views.s47_start, name="s47_start"),
    path(CASE + "section-47/<int:enquiry_id>/outcome/", views.s47_complete, name="s47_complete"),
    path(CASE + "conferences/start/", views.conference_start, name="conference_start"),
    path(
        CASE + "conferences/<int:conference_id>/decision/",
        views.conference_decide,
        name="conference_decide",
    ),
    path(CASE + "cp-plans/start/", views.cp_plan_start, name="cp_plan_start"),
    path(CASE + "cp-plans/<int:cp_plan_id>/end/", views.cp_plan_end, name="cp_plan_end"),
    path(CASE + "core-groups/add/", views.core_group_add, name="core_group_add"),
    path(CASE + "cin-plans/start/", views.cin_plan_start, name="cin_plan_start"),
    path(CASE + "cin-plans/<int:cin_plan_id>/end/", views.cin_plan_end, name="cin_plan_end"),
    path(
        CASE + "cin-plans/<int:cin_plan_id>/reviews/add/",
        views.cin_review_add,
        name="cin_review_add",
    ),
    path(CASE + "looked-after/start/", views.looked_after_start, name="looked_after_start"),
    path(
        CASE + "looked-after/<int:episode_id>/end/",
        views.looked_after_end,
        name="looked_after_end",
    ),
    path(
        CASE + "looked-after/reviews/add/",
        views.looked_after_review_add,
        name="looked_after_review_add",
    ),
    path(CASE + "looked-after/missing/add/", views.missing_add, name="missing_add"),
    path(CASE + "looked-after/outcomes/add/", views.outcomes_add, name="outcomes_add"),
    path(CASE + "visits/add/", views.visit_add, name="visit_add"),
    path(CASE + "closure/", views.closure_add, name="closure_add"),
    path(CASE + "approvals/<int:approval_id>/", views.approval_decide, name="approval_decide"),
    path(
        CASE + "approvals/<int:approval_id>/resubmit/",
        views.approval_resubmit,
        name="approval_resubmit",
    ),
]
