"""The second-factor pages, mounted in the admin by ``newsroom.admin`` (so each is an
``admin_view``: staff only, never cached, CSRF-protected). No script on any of them; the
QR code is drawn here as inline SVG, so the secret never leaves the server."""

import segno
from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from newsroom.mfa import factors

WRONG_CODE = "That code is not right. Check the time on your phone and try again."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The six digits your authenticator app shows, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _render(request, template: str, context: dict, status: int = 200):
    context = {**admin.site.each_context(request), "next": _next(request), **context}
    return TemplateResponse(request, f"admin/mfa/{template}", context, status=status)


def _check(request, form: CodeForm, check) -> tuple[object, int]:
    """Run ``check(code)`` on a valid form, putting a wrong or throttled code on the form."""
    if not form.is_valid():
        return None, 200
    try:
        result = check(form.cleaned_data["code"])
    except factors.Throttled as throttled:
        form.add_error("code", f"Too many wrong codes. {throttled}")
        return None, 429
    if result is None:
        form.add_error("code", WRONG_CODE)
    return result, 200


def verify(request):
    """After the password: the app's code (or a backup code) before the admin opens."""
    if request.user.is_verified():
        return redirect(_next(request))
    if factors.app_device(request.user) is None:
        return redirect(f"{reverse('admin:mfa_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        device, status = _check(request, form, lambda code: factors.verify(request, code))
        if device is not None:
            return redirect(_next(request))
    return _render(
        request, "verify.html", {"title": "Enter your code", "form": form}, status=status
    )


def enrol(request):
    """Set up an authenticator app: scan (or type) the secret, confirm with a code, and
    take the backup codes, shown this once."""
    if factors.app_device(request.user) is not None:
        # One app per person; a lost phone is reset by an administrator (reset_mfa).
        return redirect("admin:mfa_manage" if request.user.is_verified() else "admin:mfa_verify")
    device = factors.pending_app_device(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        codes, status = _check(
            request, form, lambda code: factors.confirm_app(request, device, code)
        )
        if codes is not None:
            return _backup_codes(request, codes, enrolled=True)
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, light="#fff", title="QR code for your authenticator app"
    )
    context = {
        "title": "Set up your second factor",
        "form": form,
        "required": factors.is_required(request.user),
        # segno's own SVG of our otpauth:// URL (escaped by segno); no user input in it.
        "qr": mark_safe(qr),  # noqa: S308  # nosec B308 B703
        "secret": factors.secret_text(device),
    }
    return _render(request, "enrol.html", context, status=status)


def manage(request):
    """Your second factor: whether it is set up, backup codes left, new backup codes."""
    device = factors.app_device(request.user)
    if device is not None and not request.user.is_verified():
        return redirect(f"{reverse('admin:mfa_verify')}?next={request.path}")
    if request.method == "POST" and device is not None:
        return _backup_codes(request, factors.new_backup_codes(request.user), enrolled=False)
    backups = factors.backup_device(request.user)
    context = {
        "title": "Your second factor",
        "device": device,
        "required": factors.is_required(request.user),
        "backup_codes_left": backups.token_set.count() if backups else 0,
    }
    return _render(request, "manage.html", context)


def _backup_codes(request, codes: list[str], *, enrolled: bool):
    context = {"title": "Your backup codes", "codes": codes, "enrolled": enrolled}
    return _render(request, "backup_codes.html", context)
