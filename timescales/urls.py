from django.urls import path

from timescales import views

app_name = "timescales"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("team-work/", views.team_work, name="team_work"),
    path("timescales/", views.rules, name="rules"),
    path(
        "cases/<int:case_id>/deadlines/<int:deadline_id>/overdue-reason/",
        views.overdue_reason,
        name="overdue_reason",
    ),
]
