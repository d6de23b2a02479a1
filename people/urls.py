from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("search/", views.person_search, name="search"),
    path("cases/<int:case_id>/allocate/", views.case_allocate, name="case_allocate"),
    path("cases/<int:case_id>/restriction/", views.case_restriction, name="case_restriction"),
    path("cases/<int:case_id>/delete/", views.case_delete, name="case_delete"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/report/", views.break_glass_report, name="break_glass_report"),
    path("deleted-cases/", views.deleted_cases, name="deleted_cases"),
    path("retention/", views.retention_review, name="retention_review"),
]
