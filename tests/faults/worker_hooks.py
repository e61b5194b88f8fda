"""Loaded into the Celery worker of the fault tests (``celery worker -I tests.faults.worker_hooks``).

While the marker file exists, the writing of an export's file is slowed down once, so that the test can kill
the worker in the middle of it. Production code is untouched.
"""

import os
import time

from celery.signals import task_prerun


@task_prerun.connect
def _slow_first_export(sender=None, **kwargs):
    marker = os.environ.get("FAULT_SLOW_EXPORT_MARKER", "")
    if getattr(sender, "name", "") != "stats.tasks.export_generate" or not os.path.exists(marker):
        return
    from stats import services  # noqa: PLC0415 — this module is loaded by the worker before Django is set up

    write = services._write

    def slow_write(export, out):
        if os.path.exists(marker):
            os.remove(marker)
            time.sleep(60)  # the test kills the worker during this sleep
        return write(export, out)

    services._write = slow_write
