"""The three top-level screens and their dialogs."""
