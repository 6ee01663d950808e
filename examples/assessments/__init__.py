"""The assessment product: Latchkey's worked example of an API of your own behind it (docs.md)."""
