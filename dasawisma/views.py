from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pkk.models import Role
from pkk.scope import scoped


@require_GET
@scoped(Role.KADER, Role.TP_PKK_DESA)
def kader_home(request: HttpRequest) -> HttpResponse:
    return render(request, "pkk/home.html", {})
