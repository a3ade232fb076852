"""The idempotency tokens of create forms are pruned nightly after PKK_FORM_TOKEN_DAYS (issue 12 left the
table growing forever)."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from pkk.idempotency import already_saved, form_tokens_prune
from pkk.models import FormToken
from pkk.tasks import prune_form_tokens

pytestmark = pytest.mark.django_db


def _token(user, char: str, age_days: float) -> FormToken:
    row = FormToken.objects.create(token=char * 32, user=user, kind="rumah_tangga", url=f"/{char}/")
    FormToken.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=age_days))
    return row


def test_old_tokens_go_recent_ones_stay(tree):
    _token(tree.desa, "a", settings.PKK_FORM_TOKEN_DAYS + 1)
    _token(tree.desa, "b", settings.PKK_FORM_TOKEN_DAYS - 1)
    _token(tree.desa, "c", 0)
    assert form_tokens_prune() == 1
    assert set(FormToken.objects.values_list("token", flat=True)) == {"b" * 32, "c" * 32}
    # a repeat of a recent save still lands where the first one went
    assert already_saved(token="c" * 32, user=tree.desa) == "/c/"


def test_the_nightly_task_prunes_and_is_scheduled(tree, settings):
    settings.PKK_FORM_TOKEN_DAYS = 7
    _token(tree.desa, "d", 8)
    _token(tree.desa, "e", 6)
    assert prune_form_tokens.delay().get() == 1
    assert list(FormToken.objects.values_list("token", flat=True)) == ["e" * 32]
    assert settings.CELERY_BEAT_SCHEDULE["pkk.prune_form_tokens"]["task"] == "pkk.prune_form_tokens"
