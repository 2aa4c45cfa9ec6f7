"""The one presentation layer: Question -> view model -> HTML with MathML, or terminal text.

`math` is the one Markdown+math pipeline (built on render.safe and render.mathml), `view` the
per-question view model, `terminal` its plain-text layout. The site, the exam and the terminal
all read the same view, so the same LaTeX becomes the same MathML (and the same text) everywhere.
"""
