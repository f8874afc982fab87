"""The report's `programs` keys this part fills (registered with core.reporting.report_section)."""
