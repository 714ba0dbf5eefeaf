"""coterm's UI-free core: events, codecs, asciicast I/O, the terminal emulator wrapper,
replay timing and redaction. Nothing here may import textual or aiohttp
(checked by import-linter and ``tests/unit/test_import_hygiene.py``)."""
