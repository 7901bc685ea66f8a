"""Reusable widgets with their own messages."""
