"""``python -m dldoctor``."""

from dldoctor.cli.app import main

main()
