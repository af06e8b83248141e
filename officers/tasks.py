"""Officer tools on Celery: the daily saved-search alerts (``officers.alerts``)."""

from celery import shared_task

from officers import alerts


@shared_task(name="officers.saved_search_alerts", ignore_result=True)
def send_saved_search_alerts() -> dict:
    run = alerts.run_alerts()
    return {"searches": run.searches, "products": run.products, "failed": run.failed}
