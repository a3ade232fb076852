from django.core.exceptions import PermissionDenied


class ScopeDeclaredMiddleware:
    """Deny by default: a scoped user reaches only views declared with ``@scoped``/``@scope_exempt``."""

    EXEMPT_MODULE_PREFIXES = ("django.contrib.admin", "django.views.static", "django.contrib.staticfiles")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_superuser:
            return None
        if getattr(view_func, "pkk_scoped", False):
            return None
        module = getattr(view_func, "__module__", "") or ""
        if module.startswith(self.EXEMPT_MODULE_PREFIXES):
            return None
        raise PermissionDenied("Halaman ini belum dibatasi wilayah.")


class ForcePasswordChangeMiddleware:
    """After a login with a one-time password (``SandiSementara``), every page but the password change
    and logout sends the user to the password change page. Reads the session only: no query per request
    (the login view sets the flag, the password change view clears it)."""

    ALLOWED_URL_NAMES = ("password_change", "password_change_done", "logout", "login")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect
        from django.urls import reverse

        from .services import MUST_CHANGE_SESSION_KEY

        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_SESSION_KEY) and request.user.is_authenticated:
            allowed = {reverse(name) for name in self.ALLOWED_URL_NAMES}
            from django.conf import settings

            if request.path not in allowed and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
                return redirect("password_change")
        return self.get_response(request)
