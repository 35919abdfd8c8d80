"""Downloads of the data behind a chart or table: which rows (exports.rows), and as which file (exports.files)."""
