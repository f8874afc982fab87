"""Core pages: places, people and households, rosters. Thin: they call selectors and services."""
