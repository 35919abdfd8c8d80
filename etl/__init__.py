"""ETL: raw exports -> validated tidy Parquet warehouse, published atomically."""
