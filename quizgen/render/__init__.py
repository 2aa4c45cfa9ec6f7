"""Turning records into text, LaTeX and MathML. Renderers never recompute math."""
