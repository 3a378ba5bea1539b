"""dldoctor.tui."""

if __name__ != "dldoctor.tui":  # the source folder, imported under its own name
    raise ImportError("tui/ is the source of the package dldoctor.tui: import "
                      "dldoctor.tui (under another name its classes would be a second copy)")
