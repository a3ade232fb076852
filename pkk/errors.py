from django.shortcuts import render

from .scope import inactive_assignments


def _context(request) -> dict:
    # A kader whose dasawisma was deactivated has no scope left: say why instead of a bare refusal.
    return {"inactive_assignments": inactive_assignments(getattr(request, "user", None))}


def forbidden(request, exception=None):
    return render(request, "403.html", _context(request), status=403)


def not_found(request, exception=None):
    return render(request, "404.html", _context(request), status=404)


def server_error(request):
    return render(request, "500.html", status=500)
