"""Case pages: report, queue and map, the case page and its actions, my cases, dashboard,
notifications and exports. Thin: they read through selectors and write through services."""
