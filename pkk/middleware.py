from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.html import escape


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


_PLAIN_PAGE = (
    '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
    '<body><h1>{title}</h1><p>{message}</p><p><a href="/">Kembali ke beranda</a></p></body></html>'
)


def plain_page(status: int, title: str, message: str) -> HttpResponse:
    """A page without the site layout (no session, no user yet at this point of the stack)."""
    response = HttpResponse(_PLAIN_PAGE.format(title=escape(title), message=escape(message)), status=status)
    response["Cache-Control"] = "no-store"
    return response


class RequestGuardMiddleware:
    """Refuse, before anything reads them, bodies over ``PKK_MAX_BODY_BYTES`` (413, from Content-Length:
    a 300 MB upload was written to disk before a form said it was too big) and NUL characters in the path,
    the query string or a form body (400: PostgreSQL refuses NUL in text and answered a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.PKK_MAX_BODY_BYTES
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return plain_page(400, "Permintaan tidak sah", "Panjang isi permintaan (Content-Length) tidak sah.")
        if length > limit:
            return plain_page(
                413,
                "Berkas terlalu besar",
                f"Isi yang dikirim {length / 1024 / 1024:.1f} MB, paling besar {limit / 1024 / 1024:.0f} MB. "
                "Perkecil berkas atau bagi menjadi beberapa berkas.",
            )
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or _nul_in(request.GET):
            return _nul_refused()
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
            if _nul_in(request.POST):
                return _nul_refused()
        return self.get_response(request)


def _nul_in(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


def _nul_refused() -> HttpResponse:
    return plain_page(
        400,
        "Permintaan tidak sah",
        "Alamat atau isian berisi karakter yang tidak sah (karakter NUL). Periksa isian lalu coba lagi.",
    )


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy on every response, and ``Cache-Control:
    no-store`` on pages and files for signed-in users (they carry names, NIK and No. KK; a shared office
    or warnet PC must not keep them in its cache). Static files are served before this (WhiteNoise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PKK_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


try:
    from csp.middleware import CSPMiddleware as _CSPMiddleware
except ImportError:  # pragma: no cover - django-csp is in requirements.txt
    _CSPMiddleware = None


if _CSPMiddleware is not None:

    class CSPMiddleware(_CSPMiddleware):
        """django-csp's middleware; Django's own admin (superusers only) keeps a few inline styles, so its
        pages may use them. Every page of the product passes the strict policy."""

        def get_policy_parts(self, request, response, report_only=False):
            parts = super().get_policy_parts(request, response, report_only)
            if request.path.startswith("/admin/") and not report_only:
                parts.update = {"style-src": ["'unsafe-inline'"]}
            return parts
