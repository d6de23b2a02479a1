from django.urls import path

from casefile import views

app_name = "casefile"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/access/", views.case_access_report, name="case_access_report"),
]
