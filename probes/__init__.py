"""dldoctor.probes."""

if __name__ != "dldoctor.probes":  # the source folder, imported under its own name
    raise ImportError("probes/ is the source of the package dldoctor.probes: import "
                      "dldoctor.probes (under another name its classes would be a second copy)")
