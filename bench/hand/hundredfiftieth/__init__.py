"""The hundred-fiftieth hand-written set (see bench/hand/README.md)."""
