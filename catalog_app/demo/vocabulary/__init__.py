"""Vocabularies the demo texts are composed from.

Kept apart from the composition logic (``catalog_app.demo.texts``) so that a domain
expert can extend the word lists without reading code. Everything here is plain data.
"""
