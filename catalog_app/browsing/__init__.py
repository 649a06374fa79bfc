"""Browsing primitives shared by every list page: query parameters, facet counts, keyword
filters and the paged `browse()` over a `BrowseSource`.

Part of the shared floor: catalog, demands, organizations and the API build their list
pages on it, so it imports models and the floor only, never a feature.
"""
