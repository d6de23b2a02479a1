from django.urls import path

from portal import views

app_name = "portal"

STAFF = "cases/<int:case_id>/portal/"
FAMILY = "family/"

urlpatterns = [
    # Staff side: the worker's invitations, codes, withdrawals and check-in alerts.
    path(STAFF, views.case_portal, name="case_portal"),
    path(STAFF + "invite/", views.invitation_add, name="invitation_add"),
    path(STAFF + "new-code/", views.invitation_new_code, name="invitation_new_code"),
    path(STAFF + "send-link/", views.invitation_send_link, name="invitation_send_link"),
    path(STAFF + "withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path(STAFF + "alerts/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    # Family side: no staff sign-in; a portal session of its own.
    path(FAMILY + "sign-in/", views.family_sign_in, name="family_sign_in"),
    path(FAMILY + "sign-in/email/", views.family_link_request, name="family_link_request"),
    path(FAMILY + "sign-in/link/", views.family_link, name="family_link"),
    path(FAMILY + "sign-out/", views.family_sign_out, name="family_sign_out"),
    path(FAMILY, views.family_home, name="family_home"),
    path(
        FAMILY + "words-and-pictures/",
        views.family_words_and_pictures,
        name="family_words_and_pictures",
    ),
    path(
        FAMILY + "words-and-pictures/<int:wp_id>.pdf",
        views.family_words_and_pictures_pdf,
        name="family_words_and_pictures_pdf",
    ),
    path(
        FAMILY + "words-and-pictures/<int:wp_id>/pictures/<int:wp_picture_id>/",
        views.family_words_and_pictures_picture,
        name="family_words_and_pictures_picture",
    ),
    path(FAMILY + "plan/", views.family_plan, name="family_plan"),
    path(FAMILY + "plan.pdf", views.family_plan_pdf, name="family_plan_pdf"),
    path(FAMILY + "map/", views.family_map, name="family_map"),
    path(FAMILY + "map.pdf", views.family_map_pdf, name="family_map_pdf"),
    path(FAMILY + "my-part/", views.family_rules, name="family_rules"),
    path(FAMILY + "check-in/", views.family_check_in, name="family_check_in"),
    path(FAMILY + "survey/<int:survey_invitation_id>/", views.family_survey, name="family_survey"),
]
