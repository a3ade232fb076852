"""The outbox row is written in the same transaction, and the refresh is requested only after commit."""

import pytest
from django.core.exceptions import ValidationError

from dasawisma import outbox
from dasawisma.models import DasawismaChange
from pkk.celery import app as celery_app

from .factories import RT_DATA, make_rt


def test_refresh_requested_after_commit(tree, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr(outbox, "request_refresh", lambda dasawisma_id: calls.append(dasawisma_id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_rt(tree.mawar, tree.kader)
        assert DasawismaChange.objects.filter(dasawisma=tree.mawar).count() == 1
    assert calls == []  # nothing before commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert calls == [tree.mawar.pk]


def test_no_outbox_and_no_refresh_when_the_write_fails(tree, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr(outbox, "request_refresh", lambda dasawisma_id: calls.append(dasawisma_id))
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        make_rt(tree.mawar, tree.kader, kriteria_rumah="bagus")
    assert not DasawismaChange.objects.exists()
    assert callbacks == [] and calls == []


class FakeTask:
    def __init__(self):
        self.applied = []

    def apply(self, args):
        self.applied.append(args)


def test_eager_applies_registered_task_by_name(monkeypatch):
    fake = FakeTask()
    monkeypatch.setitem(celery_app.tasks, outbox.REFRESH_TASK, fake)
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        outbox.request_refresh(42)
    finally:
        celery_app.conf.task_always_eager = old
    assert fake.applied == [[42]]


def test_broker_mode_sends_task_by_name(monkeypatch):
    sent = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, args: sent.append((name, args)))
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        outbox.request_refresh(7)
    finally:
        celery_app.conf.task_always_eager = old
    assert sent == [("reporting.refresh_dasawisma", [7])]


def test_dasawisma_never_imports_reporting():
    import pathlib

    root = pathlib.Path(outbox.__file__).parent
    mine = ["models", "validators", "outbox", "services", "selectors", "forms", "views", "urls", "admin"]
    # a module, or a package split by record (services/, views/)
    paths = [root / f"{name}.py" if (root / f"{name}.py").exists() else root / name for name in mine]
    for path in (f for p in paths for f in ([p] if p.suffix else sorted(p.glob("*.py")))):
        text = path.read_text()
        assert "from reporting" not in text and "import reporting" not in text, path


def test_sumber_air_data_shape():
    assert {k for k in RT_DATA if k.startswith("sumber_air_")} == {
        "sumber_air_pdam",
        "sumber_air_sumur",
        "sumber_air_sungai",
        "sumber_air_lainnya",
    }
