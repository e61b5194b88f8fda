"""Run the same callable from several threads at once, each with its own database connection."""

import threading

from django.db import connections


def run_concurrently(functions, *, timeout=60):
    """Start every function at the same instant; return (results, errors), one entry per function."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)
    errors = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # collected for the test to assert on
            errors[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results, errors
