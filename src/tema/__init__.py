"""tema: sorts Norwegian free-text input from integration meetings into themes.

Nothing happens on import: models are loaded only when asked for, and scikit-learn is
imported only when the classifier is (``tema segment`` never needs it, nor does
``tema classify``, which uses the model's predictor file: ``tema.classify.predictor``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tema.classify.model import ThemeClassifier, load_model

__all__ = ["ThemeClassifier", "load_model"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tema.classify import model

        return getattr(model, name)
    raise AttributeError(f"module 'tema' has no attribute {name!r}")
