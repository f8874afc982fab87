"""Every write to core data goes through these services."""
