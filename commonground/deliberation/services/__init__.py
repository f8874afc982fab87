"""Every write of the deliberation app goes through these services."""
