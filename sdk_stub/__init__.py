"""A minimal typed client for the Codat API (filled in by its own issue)."""
