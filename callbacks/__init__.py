"""Thin callbacks, one module per page: validate input -> store -> figure or table builder."""
