"""cpt-tui: track MSSC CPT 4.0 students, modules, certificates and fees from a terminal."""

__version__ = "0.1.0"
