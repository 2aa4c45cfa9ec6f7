"""quizgen: backpropagation practice problems whose every answer comes from one engine."""

__version__ = "0.1.0"

__all__ = ["__version__"]
