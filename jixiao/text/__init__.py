"""Text primitives every later stage shares: decoding bytes, normalising text, reading numbers."""
