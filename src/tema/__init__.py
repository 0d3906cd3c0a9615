"""tema: sorts Norwegian free-text input from integration meetings into themes.

Nothing happens on import: models are loaded only when asked for.
"""

from tema.model import ThemeClassifier, load_model

__all__ = ["ThemeClassifier", "load_model"]
__version__ = "0.1.0"
