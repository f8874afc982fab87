"""The static files `make run` serves: collectstatic with the production storage must succeed."""

from __future__ import annotations

from django.core.management import call_command


def test_collectstatic__manifest_storage__every_reference_resolves(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    for name in ("vendor/leaflet/leaflet.js", "vendor/pico/pico.min.css", "vendor/echarts/echarts.min.js",
                 "vendor/htmx/htmx.min.js", "web/site.css"):
        assert (tmp_path / name).exists(), name
    assert (tmp_path / "staticfiles.json").exists()
