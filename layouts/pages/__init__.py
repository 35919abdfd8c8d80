"""Registered pages, one module per URL path."""
