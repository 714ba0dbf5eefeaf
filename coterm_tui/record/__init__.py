"""The recorder: PTY passthrough, capture pipeline, shell integration, uplink."""
