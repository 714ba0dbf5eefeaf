"""asciicast v2/v3 reading and writing."""

from .header import header_from_json, header_to_json

__all__ = ["header_from_json", "header_to_json"]
