"""The Textual client: player, live viewer, notes."""
