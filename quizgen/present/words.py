"""The writers' `say`: `quizgen.messages.text.say`, which remembers each text it words whose
parameters are strings, integers or such texts (the same few hundred mistake names, step titles
and precision statements recur in every question, tens of times per page), per catalog in use.
One memo, kept there, for every writer and the terminal alike.
"""

from __future__ import annotations

from quizgen.messages.text import say

__all__ = ["say"]
