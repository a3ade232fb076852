from .models import Role
from .scope import assignments, home_unit, is_global


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = {a.role for a in assignments(user)}
    if is_global(user):
        roles = {r.value for r in Role}
    return {
        "nav_roles": roles,
        "nav_assignments": assignments(user),
        "nav_home_unit": home_unit(user),
        "is_kader": Role.KADER in roles,
        "is_desa": Role.TP_PKK_DESA in roles,
        "is_pembina": Role.PEMBINA_KECAMATAN in roles,
        "is_admin_kab": Role.ADMIN_KABUPATEN in roles,
        "is_ketua": Role.KETUA_KELOMPOK in roles,
    }


def drafts(request):
    """Browser drafts (static/js/draft.js) are stored under a key derived from the user (not the user name),
    so the next person on a shared PC is never offered them; they expire after PKK_DRAFT_DAYS."""
    from django.conf import settings
    from django.utils.crypto import salted_hmac

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"draft_user": "", "draft_days": settings.PKK_DRAFT_DAYS}
    return {
        "draft_user": salted_hmac("sipkk.draft", str(user.pk)).hexdigest()[:20],
        "draft_days": settings.PKK_DRAFT_DAYS,
    }
