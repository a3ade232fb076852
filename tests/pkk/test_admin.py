import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pkk.models import PersonalDataExportLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(tree, client):
    su = get_user_model().objects.create_superuser("operator", "op@example.org", "x")
    client.force_login(su)
    return client


def test_admin_registers_unit_assignment_and_log(tree, superuser_client):
    c = superuser_client
    assert c.get(reverse("admin:pkk_unit_changelist"), {"q": "Kaliboto"}).status_code == 200
    assert c.get(reverse("admin:pkk_unit_change", args=[tree.mawar.pk])).status_code == 200
    assert c.get(reverse("admin:pkk_roleassignment_changelist")).status_code == 200
    log = PersonalDataExportLog.objects.create(
        user=tree.admin, username="admin", unit=tree.kab, what="warga", row_count=3
    )
    assert c.get(reverse("admin:pkk_personaldataexportlog_changelist")).status_code == 200
    r = c.get(reverse("admin:pkk_personaldataexportlog_change", args=[log.pk]))
    assert r.status_code == 200 and 'name="_save"' not in r.content.decode()  # read-only
    assert c.get(reverse("admin:pkk_personaldataexportlog_add")).status_code == 403
    assert c.post(reverse("admin:pkk_personaldataexportlog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    assert PersonalDataExportLog.objects.filter(pk=log.pk).exists()
