"""A worker job's progress as JSON: what ``web/static/web/job-progress.js`` polls on a job's page."""

from django.http import JsonResponse

from core.jobs import TrackedJob


def progress_json(job: TrackedJob, **extra) -> JsonResponse:
    """The job's state and progress (``phase_display`` from the model's phase choices), never cached."""
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_display": job.get_status_display(),
            "phase": job.phase,
            "phase_display": job.get_phase_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "eta": job.eta.isoformat() if job.eta else None,
            "finished": job.is_finished,
            **extra,
        },
        headers={"Cache-Control": "no-store"},
    )
