"""The shell's own entries: the home page, core's pages (places, people, rosters, the report) and the admin.

Apps register theirs in their own `ready()`; orders leave room between these for them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonground.core.home import people_tabs

from .registry import HomeCard, NavEntry

NAV = (
    NavEntry("home", _("Home"), ("home",), order=10, icon="home", primary=True),
    NavEntry("places", _("Places"), ("core:place-list",), ("place.view",), order=20, icon="place"),
    NavEntry("people", _("Residents"), permissions=("person.view", "household.view"), order=35, tabs=people_tabs,
             icon="person"),
    NavEntry("report", _("Report"), ("core:report",), ("report.view",), order=30, icon="chart"),
    NavEntry("rosters", _("Rosters"), ("core:roster-index", "core:roster-upload"), ("roster.import", "roster.export"),
             order=40, icon="table"),
    NavEntry("admin", _("Administration"), ("admin:index",), ("admin.access",), order=1000, icon="settings"),
)

HOME_CARDS = (
    HomeCard("place.view", _("View the places in your area"), ("core:place-list",), order=10),
    HomeCard("person.view", _("Look up residents and households"), ("core:person-list",), order=20),
    HomeCard("person.view_personal_data", _("See full ID numbers and phone numbers"), order=30),
    HomeCard("roster.import", _("Import rosters from Excel or CSV"), ("core:roster-upload",), order=40),
    HomeCard("roster.export", _("Export rosters"), ("core:roster-index",), order=50),
    HomeCard("report.view", _("See the district report"), ("core:report",), order=60),
    HomeCard("person.change", _("Manage people and households"), ("core:person-list",), order=70),
    HomeCard("place.change", _("Maintain the place tree"), ("admin:core_place_changelist",), order=80),
    HomeCard("organisation.change", _("Manage organisations and their members"),
             ("admin:core_organisation_changelist",), order=90),
    HomeCard("roleassignment.add", _("Assign roles to staff"), ("admin:core_roleassignment_changelist",), order=100),
    HomeCard("history.view", _("See who changed what (audit history)"), order=110),
)
