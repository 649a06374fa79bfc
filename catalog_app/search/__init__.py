"""Site-wide search: one keyword over listings, demands and organizations at once.

Orchestration: it composes the searches of three features (catalog, demands,
organizations), so it sits above them and none of them imports it.
"""
