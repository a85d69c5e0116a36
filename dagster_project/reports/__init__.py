"""Reports read from the marts: the executive summary and the offline dashboard."""
