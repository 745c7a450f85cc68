"""printgen: printable training material from the care-manager message content."""

__version__ = "0.1.0"
