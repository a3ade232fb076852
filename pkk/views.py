from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from . import services
from .scope import scope_exempt


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if services.password_must_change(self.request.user):
            # Logged in with a one-time password: nothing else until the owner chose their own.
            self.request.session[services.MUST_CHANGE_SESSION_KEY] = True
            return redirect("password_change")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["wajib_ganti"] = bool(self.request.session.get(services.MUST_CHANGE_SESSION_KEY))
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_password_changed(user=self.request.user)
        self.request.session.pop(services.MUST_CHANGE_SESSION_KEY, None)
        return response


login_view = login_not_required(scope_exempt(LoginView.as_view()))


class _LogoutView(auth_views.LogoutView):
    """Logout also empties what this site kept in the browser (form drafts in localStorage, the cache):
    on a shared office or warnet PC the next user finds nothing. static/js/pkk.js clears the drafts too,
    for browsers that ignore the header."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


logout_view = scope_exempt(_LogoutView.as_view())
password_change_view = scope_exempt(PasswordChangeView.as_view())
password_change_done_view = scope_exempt(auth_views.PasswordChangeDoneView.as_view())


@login_not_required
@scope_exempt
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
