from django.urls import path

from casefile import views

app_name = "casefile"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/access/", views.case_access_report, name="case_access_report"),
    path(
        "cases/<int:case_id>/access.csv",
        views.case_access_report_csv,
        name="case_access_report_csv",
    ),
    path("people/<int:person_id>/subject-access/", views.subject_access, name="subject_access"),
]
