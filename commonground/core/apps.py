from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonground.core"
    label = "core"
    verbose_name = _("Places, people and roles")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import place_cache, report_sections  # noqa: F401  (registers the report's first sections)
        from .models import Place

        post_save.connect(place_cache.forget, sender=Place, dispatch_uid="place_cache_save")
        post_delete.connect(place_cache.forget, sender=Place, dispatch_uid="place_cache_delete")
