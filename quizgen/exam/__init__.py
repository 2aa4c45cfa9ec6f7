"""Printable exams: a spec (TOML) -> validated sections -> drawn versions -> HTML/PDF and keys.

Stages, one module each: spec.py (read and validate the spec), select.py (families per section,
distinct variants per version), assemble.py (numbering, shuffles, rubric), roster.py (what was
drawn, to regenerate any version), views.py (records -> template-ready HTML fragments),
build.py (the whole pipeline as one short function).
"""
