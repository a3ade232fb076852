"""Every task beat or a view sends can be sent: a task whose own ``time_limit`` is below the global
``CELERY_TASK_SOFT_TIME_LIMIT`` inherits a soft limit above its hard one, and Celery's ``apply_async`` then
raises ValueError, so beat never sent the hourly cleanups (expired export files and workbooks with
personal data stayed on disk)."""

from celery import current_app


def _all_tasks():
    current_app.loader.import_default_modules()  # every app's tasks.py and CELERY_IMPORTS
    return {name: task for name, task in current_app.tasks.items() if not name.startswith("celery.")}


def test_no_task_has_a_soft_limit_above_its_hard_limit():
    tasks = _all_tasks()
    assert {"reporting.cleanup_exports", "dasawisma.cleanup_workbook_jobs", "pkk.prune_form_tokens"} <= set(tasks)
    bad = {
        name: (t.soft_time_limit, t.time_limit)
        for name, t in tasks.items()
        if t.soft_time_limit and t.time_limit and t.soft_time_limit > t.time_limit
    }
    assert bad == {}


def test_every_scheduled_task_exists(settings):
    tasks = _all_tasks()
    missing = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()} - set(tasks)
    assert missing == set()
