"""The one data-entry flow every record's form goes through (rumah tangga, keluarga, warga, kehamilan).

A view fetches its object through the user's scope (404 outside), checks that the user may write there
(``require_writer``), and hands ``form_flow`` the form and a ``save(form) -> url`` callback that calls one
service and adds the success message. ``form_flow`` does the rest for every record alike: GET shows the
form (``form_page.html``, with its ``data-draft`` key), POST validates it, calls ``save``, puts a service's
ValidationError back on the form, shows a stale version (``services.ConflictError``) with the stored values
that differ, keeps a create form from saving twice (``pkk.idempotency`` token), and redirects (``done``:
draft.js posts and follows ``X-Draft-Location`` itself, so a draft is cleared only after a success).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pkk import idempotency
from pkk.models import Role, Unit

from .. import selectors, services
from ..forms import LABELS, add_service_errors

WRITERS = (Role.KADER, Role.TP_PKK_DESA)
READERS = (Role.KADER, Role.KETUA_KELOMPOK, Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)

Save = Callable[[Any], str]  # save(form) -> the URL to go to after the save
FormFactory = Callable[[Any, Any], Form]  # (data, current record) -> the form rebuilt after a conflict


def require_writer(request: HttpRequest, dasawisma: Unit) -> None:
    if not selectors.may_write(request.user, dasawisma):
        raise PermissionDenied


def version_of(form) -> int:
    return form.cleaned_data["version"]


def done(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect after a save. draft.js submits with ``X-Draft-Submit`` and follows ``X-Draft-Location``
    itself, so the success message stays for the next page and the draft is cleared only on success."""
    if request.headers.get("X-Draft-Submit"):
        response = HttpResponse(status=204)
        response["X-Draft-Location"] = url
        return response
    return redirect(url)


def form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    draft_key: str,
    back_url: str,
    context: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    ctx = {"form": form, "title": title, "draft_key": draft_key, "back_url": back_url, "submit_label": "Simpan"}
    ctx.update(context or {})
    return render(request, "dasawisma/form_page.html", ctx, status=status)


def form_flow(
    request: HttpRequest,
    form,
    *,
    save: Save,
    title: str,
    draft_key: str,
    back_url: str,
    conflict: tuple[FormFactory, list[str]] | None = None,
    context: dict | None = None,
    once: str | None = None,
) -> HttpResponse:
    """The data-entry flow: GET shows the form; POST validates it and calls ``save(form)``, which calls the
    service, adds the success message and returns the URL to go to (see ``done``). A ValidationError from
    the service goes back on the form. With ``conflict=(form_factory, fields)`` a stale version
    (``services.ConflictError``) shows the form again with the stored values that differ (``differences``).
    With ``once=<kind>`` (create forms) the form carries a token (``pkk.idempotency``): the same form
    posted again (a retry, a double tap) goes to what the first post created instead of creating twice."""
    differences: list = []
    token = idempotency.clean_token(request.POST.get(idempotency.FIELD)) if request.method == "POST" else None
    if once is not None and request.method == "POST":
        first = idempotency.already_saved(token=token, user=request.user)
        if first:
            messages.info(request, idempotency.REPEAT_MESSAGE)
            return done(request, first)
    if request.method == "POST" and form.is_valid():
        try:
            if once is not None:
                url = idempotency.save_once(token=token, user=request.user, kind=once, save=lambda: save(form))
            else:
                url = save(form)
        except idempotency.TokenTaken as exc:
            if exc.url:
                messages.info(request, idempotency.REPEAT_MESSAGE)
                return done(request, exc.url)
            form.add_error(None, "Formulir ini sudah tidak berlaku. Muat ulang halaman, lalu isi lagi.")
            token = None
        except services.ConflictError as exc:
            if conflict is None:
                raise
            form, differences = _conflict(request, conflict[0], exc, conflict[1])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(request, url)
    ctx: dict[str, Any] = {"differences": differences} if conflict is not None else {}
    if once is not None:
        ctx["form_token"] = token or idempotency.new_token()  # a re-shown form keeps its token
    ctx.update(context or {})
    return form_page(request, form, title=title, draft_key=draft_key, back_url=back_url, context=ctx)


def display(value: Any) -> str:
    """A stored value as the pages show it: "—" for empty, Ya/Tidak, dates as dd-mm-yyyy."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "Ya"
    if value is False:
        return "Tidak"
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _conflict(request: HttpRequest, form_factory: FormFactory, exc: services.ConflictError, fields: list[str]):
    """Rebuild the form from the user's own input, now carrying the current version, plus the stored
    values that differ from that input: the next save is a deliberate overwrite, never a silent one."""
    data = request.POST.copy()
    data["version"] = str(exc.current.version)  # type: ignore[attr-defined]  # a versioned record
    form = form_factory(data, exc.current)
    form.is_valid()
    form.add_error(None, exc.message)
    differences = []
    for name in fields:
        if name not in form.fields:
            continue
        stored = getattr(exc.current, name, None)
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if hasattr(mine, "pk"):
            mine = mine.pk  # type: ignore[union-attr]
            stored = getattr(exc.current, f"{name}_id", stored)
        if display(stored) != display(mine):
            shown = display(getattr(exc.current, name, None))
            differences.append({"label": LABELS.get(name, name), "tersimpan": shown})
    return form, differences
