"""The API's resources, one smorest blueprint per module (all under /api/v1)."""
