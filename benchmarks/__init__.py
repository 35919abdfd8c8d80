"""Performance benchmarks, runnable with `make bench` or `python -m benchmarks`."""
