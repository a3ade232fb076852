from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .scope import scoped
from .selectors import unit_search_for_user


@require_GET
@scoped()
def unit_search(request: HttpRequest) -> HttpResponse:
    """The unit picker: matches by name or code, within the user's own scope only."""
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level") or None
    units = unit_search_for_user(request.user, q, level=level)[:20] if len(q) >= 2 else []
    return render(request, "pkk/unit_search.html#results", {"units": units, "q": q})
