"""Settings, urls, wsgi/asgi, and the Celery app (loaded when Celery is installed)."""

try:
    from .celery import app as celery_app
except ModuleNotFoundError as error:  # without Celery, background work runs inline
    if error.name != "celery":
        raise
    celery_app = None

__all__ = ["celery_app"]
