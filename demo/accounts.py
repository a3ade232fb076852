"""The demo accounts: one per role on the demo units, plus outsiders so that every role has someone in
another unit (the demo crawl replays URLs with them)."""

from __future__ import annotations

from pkk.models import Level, Unit

DEMO_PASSWORD = "pkk-demo-2026"

DEMO_ACCOUNTS = [
    # username, role, unit code or (desa code, "dasawisma")
    ("admin.purworejo", "admin_kabupaten", "33.06"),
    ("pembina.bener", "pembina_kecamatan", "33.06.16"),
    ("desa.kaliboto", "tp_pkk_desa", "33.06.16.2006"),
    ("kader.kaliboto", "kader", ("33.06.16.2006", "dasawisma")),
    ("kader.kedungpucang", "kader", ("33.06.16.2004", "dasawisma")),
    # Outsiders, so that every role has someone in another unit (a crawl replays URLs with them).
    ("pembina.grabag", "pembina_kecamatan", "33.06.01"),
    ("desa.kedungpucang", "tp_pkk_desa", "33.06.16.2004"),
]


def create_demo_accounts(password: str = DEMO_PASSWORD) -> list[tuple[str, str, Unit]]:
    from django.contrib.auth import get_user_model

    from pkk.models import RoleAssignment

    User = get_user_model()
    out = []
    for username, role, where in DEMO_ACCOUNTS:
        if isinstance(where, tuple):
            desa = Unit.objects.get(code=where[0])
            unit = Unit.objects.subtree(desa).filter(level=Level.DASAWISMA).order_by("path").first()
            if unit is None:
                continue
        else:
            unit = Unit.objects.get(code=where)
        user, created = User.objects.get_or_create(username=username)
        if created or not user.has_usable_password():
            user.set_password(password)
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
        out.append((username, role, unit))
    return out
