"""Open311 GeoReport v2 under /open311/v2/, in JSON and XML, on top of the case engine."""
