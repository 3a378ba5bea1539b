"""Hand-written training runs (healthy and broken) and their scorer; see README.md."""
