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
