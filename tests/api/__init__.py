"""The public API snapshot: what dependents may rely on, and its changelog."""
