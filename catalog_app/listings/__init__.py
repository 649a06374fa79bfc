"""Suppliers' own listings: create, edit, submit, renew, import and export (/my/listings)."""
