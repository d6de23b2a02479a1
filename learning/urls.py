from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("supervision/", views.session_list, name="session_list"),
    path("supervision/new/", views.session_add, name="session_add"),
    path("supervision/frequency/", views.supervision_frequency, name="supervision_frequency"),
    path("supervision/<int:session_id>/", views.session_detail, name="session_detail"),
    path("supervision/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("supervision/<int:session_id>/complete/", views.session_complete, name="session_complete"),
    path("supervision/<int:session_id>/map/", views.session_map_start, name="session_map_start"),
    path("supervision/<int:session_id>/actions/", views.action_add, name="action_add"),
    path("supervision/actions/<int:action_id>/", views.action_edit, name="action_edit"),
    path("supervision/actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path("appreciative-inquiry/", views.inquiry_list, name="inquiry_list"),
    path("appreciative-inquiry/new/", views.inquiry_add, name="inquiry_add"),
    path("appreciative-inquiry/<int:inquiry_id>/", views.inquiry_detail, name="inquiry_detail"),
    path("appreciative-inquiry/<int:inquiry_id>/edit/", views.inquiry_edit, name="inquiry_edit"),
    path("appreciative-inquiry/<int:inquiry_id>/share/", views.inquiry_share, name="inquiry_share"),
    path(
        "appreciative-inquiry/<int:inquiry_id>/withdraw/",
        views.inquiry_withdraw,
        name="inquiry_withdraw",
    ),
    path("good-practice/", views.library, name="library"),
    path("good-practice/<int:inquiry_id>/", views.library_entry, name="library_entry"),
]
