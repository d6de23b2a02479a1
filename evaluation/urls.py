from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("evaluation/", views.overview, name="overview"),
    path("evaluation/compare/", views.compare, name="compare"),
    path("evaluation/compare.csv", views.compare_csv, name="compare_csv"),
    path("evaluation/designs/", views.designs, name="designs"),
    path("evaluation/report/", views.report, name="report"),
    path("evaluation/report.pdf", views.report_pdf, name="report_pdf"),
]
