from django.urls import path

from practice import views

app_name = "practice"

urlpatterns = [
    path(
        "practice-leads/plain-language/",
        views.plain_language_terms,
        name="plain_language_terms",
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/guidance/",
        views.guidance_check,
        name="guidance",
    ),
    path("cases/<int:case_id>/maps/start/", views.map_start, name="map_start"),
    path("cases/<int:case_id>/maps/compare/", views.map_compare, name="map_compare"),
    path("cases/<int:case_id>/maps/<int:map_id>/", views.map_detail, name="map_detail"),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/details/",
        views.map_details_update,
        name="map_details_update",
    ),
    path("cases/<int:case_id>/maps/<int:map_id>/print/", views.map_print, name="map_print"),
    path("cases/<int:case_id>/maps/<int:map_id>/history/", views.map_history, name="map_history"),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/finalise/", views.map_finalise, name="map_finalise"
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/sign-off/", views.map_sign_off, name="map_sign_off"
    ),
    path("cases/<int:case_id>/maps/<int:map_id>/entries/", views.entry_add, name="entry_add"),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/entries/<int:entry_id>/",
        views.entry_detail,
        name="entry_detail",
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/entries/<int:entry_id>/edit/",
        views.entry_edit,
        name="entry_edit",
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/entries/<int:entry_id>/remove/",
        views.entry_remove,
        name="entry_remove",
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/danger-statements/",
        views.danger_add,
        name="danger_add",
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/danger-statements/<int:danger_id>/edit/",
        views.danger_edit,
        name="danger_edit",
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/danger-statements/<int:danger_id>/remove/",
        views.danger_remove,
        name="danger_remove",
    ),
    path("cases/<int:case_id>/maps/<int:map_id>/scales/", views.scale_add, name="scale_add"),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/scales/<int:judgement_id>/remove/",
        views.scale_remove,
        name="scale_remove",
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/participants/",
        views.participant_add,
        name="participant_add",
    ),
    path(
        "cases/<int:case_id>/maps/<int:map_id>/participants/<int:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
]
