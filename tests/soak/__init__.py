"""The soak test: a large population through the whole pipeline, invariants checked at the end."""
