"""Every write to cases goes through these services: intake, the stage transitions, escalation."""
