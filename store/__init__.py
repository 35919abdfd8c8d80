"""Read access to the published warehouse: DuckDB connection, query functions and caching (no Dash imports)."""
