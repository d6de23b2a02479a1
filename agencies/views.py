import base64
import io

import qrcode
import qrcode.image.svg
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import services
from agencies.forms import TokenForm
from agencies.models import Role, User
from core.audit import audit_record
from core.errors import RuleViolation


def _next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def account(request):
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    return render(request, "agencies/account.html", {"has_device": devices.exists()})


def two_factor_verify(request):
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('two_factor_setup')}?next={_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_record(
                actor=request.user,
                verb="user.two_factor_verified",
                target=request.user,
                ip_address=request.META.get("REMOTE_ADDR"),
            )
            return redirect(_next(request))
        form.add_error("token", "That code is not right. Try the newest code from your app.")
    return render(
        request, "agencies/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


def two_factor_setup(request):
    form = TokenForm(request.POST or None)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            device = services.two_factor_device_confirm(
                actor=request.user, device=device, token=form.cleaned_data["token"]
            )
        except RuleViolation as error:
            form.add_error("token", error.message)
        else:
            otp_login(request, device)
            messages.success(request, "Your authenticator app is set up.")
            return redirect(_next(request))
    if device is None:
        device = services.two_factor_device_start(actor=request.user)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    context = {
        "form": form,
        "next": _next(request),
        "qr_svg": _accessible_svg(buffer.getvalue().decode()),
        "secret": _grouped(device.bin_key),
    }
    return render(request, "agencies/two_factor_setup.html", context)


def _accessible_svg(svg: str) -> str:
    svg = svg[svg.index("<svg") :]
    label = 'role="img" aria-label="QR code to scan with your authenticator app" class="qr" '
    return svg.replace("<svg ", f"<svg {label}", 1)


def _grouped(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@require_POST
def sign_out_everywhere(request):
    services.user_sign_out_everywhere(actor=request.user)
    logout(request)
    messages.success(request, "You have been signed out on every device.")
    return redirect("login")


def keep_alive(request):
    """Touched by the session-timeout warning's 'Stay signed in' button."""
    return HttpResponse(status=204)


def staff_sign_in(request):
    """For administrators: everyone in the agency, whether they are locked out or have an
    authenticator app, with the two fixes an administrator can make."""
    if request.user.role != Role.ADMINISTRATOR or not request.user.agency_id:
        raise PermissionDenied("Only administrators manage sign-in for their agency.")
    staff = User.objects.filter(agency_id=request.user.agency_id).select_related("team")
    if request.method == "POST":
        user = get_object_or_404(staff, pk=request.POST.get("user"))
        action = request.POST.get("action")
        if action == "reset_two_factor":
            services.user_two_factor_reset(actor=request.user, user=user)
            messages.success(request, f"{user} will set up a new authenticator app next time.")
        elif action == "unlock":
            services.user_unlock(actor=request.user, user=user)
            messages.success(request, f"{user} can sign in again.")
        return redirect("staff_sign_in")
    locked = set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).values_list("username", flat=True)
    )
    with_app = set(
        TOTPDevice.objects.filter(user__in=staff, confirmed=True).values_list("user_id", flat=True)
    )
    rows = [{"user": u, "locked": u.username in locked, "has_app": u.pk in with_app} for u in staff]
    return render(request, "agencies/staff_sign_in.html", {"rows": rows})
