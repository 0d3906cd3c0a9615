"""tema: sorts Norwegian free-text input from integration meetings into themes.

Nothing happens on import: models are loaded only when asked for, and scikit-learn is
imported only when the classifier is (``tema segment`` never needs it, nor does
``tema classify`` with a TF-IDF model, which uses the model's predictor file:
``tema.classify.persist.load_predictor``).

The public Python API, resolved on first use: ``tema.load_model(path)``
(``tema.classify.persist.load_model``) and ``tema.ThemeClassifier``
(``tema.classify.model.ThemeClassifier``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tema.classify.model import ThemeClassifier
    from tema.classify.persist import load_model

__all__ = ["ThemeClassifier", "load_model"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "ThemeClassifier":
        from tema.classify.model import ThemeClassifier

        return ThemeClassifier
    if name == "load_model":
        from tema.classify.persist import load_model

        return load_model
    raise AttributeError(f"module 'tema' has no attribute {name!r}")
