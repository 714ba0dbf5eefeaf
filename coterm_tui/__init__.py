"""coterm: livestream, record, replay, search and audit terminal sessions."""

__version__ = "0.1.0.dev0"
