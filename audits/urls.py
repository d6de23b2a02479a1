from django.urls import path

from audits import views

app_name = "audits"

urlpatterns = [
    path("audits/", views.audit_list, name="audit_list"),
    path("audits/cases/<int:case_id>/start/", views.audit_start, name="audit_start"),
    path("audits/<int:audit_id>/", views.audit_detail, name="audit_detail"),
    path("audits/<int:audit_id>/complete/", views.audit_complete, name="audit_complete"),
    path("audits/<int:audit_id>/moderate/", views.moderate, name="moderate"),
    path("audits/moderation/", views.moderation, name="moderation"),
    path("audits/samples/", views.samples, name="samples"),
    path("audits/results/", views.results, name="results"),
    path("audits/results/download/", views.results_download, name="results_download"),
    path("audits/rubrics/", views.rubrics, name="rubrics"),
    path("audits/rubrics/<int:rubric_id>/", views.rubric_detail, name="rubric_detail"),
    path(
        "audits/rubrics/<int:rubric_id>/activate/",
        views.rubric_activate,
        name="rubric_activate",
    ),
    path(
        "audits/rubrics/<int:rubric_id>/questions/add/",
        views.rubric_question_add,
        name="rubric_question_add",
    ),
    path(
        "audits/rubrics/<int:rubric_id>/questions/<int:question_id>/",
        views.rubric_question_edit,
        name="rubric_question_edit",
    ),
    path(
        "audits/rubrics/<int:rubric_id>/questions/<int:question_id>/remove/",
        views.rubric_question_remove,
        name="rubric_question_remove",
    ),
]
