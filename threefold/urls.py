from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from agencies import views as agency_views

urlpatterns = [
    path(
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", agency_views.account, name="account"),
    path("accounts/two-factor/", agency_views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", agency_views.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/sign-out-everywhere/",
        agency_views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("accounts/keep-alive/", agency_views.keep_alive, name="keep_alive"),
    path("staff/sign-in/", agency_views.staff_sign_in, name="staff_sign_in"),
    path("admin/", admin.site.urls),
    path("", include("casefile.urls")),
    path("", include("people.urls")),
    path("", include("practice.urls")),
    path("", include("voices.urls")),
    path("", include("process.urls")),
    path("", include("safety.urls")),
    path("", include("documents.urls")),
    path("", include("timescales.urls")),
    path("", include("learning.urls")),
    path("", include("surveys.urls")),
    path("", include("portal.urls")),
    path("", include("evaluation.urls")),
    path("", include("api.urls")),
    path("", include("returns.urls")),
    path("", include("imports.urls")),
    path("", include("audits.urls")),
    path("", include("measures.urls")),
    path("", include("implementation.urls")),
]
