"""One training script per run; each writes bench/out/hand/<name>/ when run as a script."""
