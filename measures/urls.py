from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("measures/", views.dashboard, name="dashboard"),
    path("measures/trends/", views.trends, name="trends"),
    path("measures/cases/", views.drilldown, name="drilldown"),
    path("measures/download/", views.download, name="download"),
    path("measures/catalogue/", views.catalogue, name="catalogue"),
    path("measures/catalogue/<str:measure_code>/", views.definition, name="definition"),
]
