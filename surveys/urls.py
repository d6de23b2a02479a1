from django.urls import path

from surveys import views

app_name = "surveys"

SURVEY = "surveys/<int:survey_id>/"

urlpatterns = [
    # Setting surveys up and their results.
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_add, name="survey_add"),
    path("surveys/compare/<str:survey_kind>/", views.compare, name="compare"),
    path(SURVEY, views.survey_detail, name="survey_detail"),
    path(SURVEY + "edit/", views.survey_edit, name="survey_edit"),
    path(SURVEY + "open/", views.survey_open, name="survey_open"),
    path(SURVEY + "close/", views.survey_close, name="survey_close"),
    path(SURVEY + "repeat/", views.survey_repeat, name="survey_repeat"),
    path(SURVEY + "questions/new/", views.question_add, name="question_add"),
    path(SURVEY + "questions/<int:survey_question_id>/", views.question_edit, name="question_edit"),
    path(
        SURVEY + "questions/<int:survey_question_id>/remove/",
        views.question_remove,
        name="question_remove",
    ),
    path(SURVEY + "results/", views.results, name="results"),
    path(SURVEY + "results/download/", views.results_download, name="results_download"),
    # Staff answering.
    path("surveys/to-answer/", views.my_surveys, name="my_surveys"),
    path("surveys/to-answer/<int:survey_id>/", views.staff_answer, name="staff_answer"),
    # A case's family surveys.
    path("cases/<int:case_id>/surveys/", views.case_surveys, name="case_surveys"),
    path("cases/<int:case_id>/surveys/send/", views.family_invite, name="family_invite"),
    # A family's link: no account.
    path("survey/<str:survey_token>/", views.family_answer, name="family_answer"),
]
