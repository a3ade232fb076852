"""The landing page (``/``, name ``home``). It lives in reporting, the app that owns the dashboards every role
but the kader lands on, so that pkk never imports reporting (the import-linter contracts in pyproject.toml)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from pkk.models import Role
from pkk.scope import assignments, home_unit, inactive_assignments, scoped

from .views_cycle import render_dashboard


@require_GET
@scoped()
def home(request: HttpRequest) -> HttpResponse:
    """Each user lands on the page of their own role."""
    roles = {a.role for a in assignments(request.user)}
    if roles == {Role.KADER}:
        return redirect("dasawisma:kader_home")
    unit = home_unit(request.user)
    if unit is not None:
        # Every other role lands on the dashboard of its own (highest) unit.
        return render_dashboard(request, unit)
    return render(
        request,
        "pkk/home.html",
        {
            "unit": unit,
            "assignments": assignments(request.user),
            "inactive_assignments": inactive_assignments(request.user),
        },
    )
