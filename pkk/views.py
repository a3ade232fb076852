from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .models import Role
from .scope import assignments, home_unit, scope_exempt, scoped


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
        from reporting.views_cycle import render_dashboard

        return render_dashboard(request, unit)
    return render(request, "pkk/home.html", {"unit": unit, "assignments": assignments(request.user)})


login_view = login_not_required(scope_exempt(auth_views.LoginView.as_view(redirect_authenticated_user=True)))
class _LogoutView(auth_views.LogoutView):
    """Logout also empties what this site kept in the browser (form drafts in localStorage, the cache):
    on a shared office or warnet PC the next user finds nothing. static/js/pkk.js clears the drafts too,
    for browsers that ignore the header."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


logout_view = scope_exempt(_LogoutView.as_view())
password_change_view = scope_exempt(auth_views.PasswordChangeView.as_view())
password_change_done_view = scope_exempt(auth_views.PasswordChangeDoneView.as_view())


@login_not_required
@scope_exempt
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
