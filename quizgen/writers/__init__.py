"""Thin writers over Question records. Writers never import the engine."""
