"""The version of Juncture, in its own module so that any layer can read it without the package root."""

__version__ = "0.1.0"
