"""What the classifier's features see of a text: the normalisation shared by the
scikit-learn model (`tema.classify.model`) and the plain-array predictor
(`tema.classify.predictor`).

`normalise_text` is the TF-IDF vectorizers' preprocessor, so a saved model refers to it by
name (`tema.classify.text.normalise_text`; `tema.classify.persist` trusts exactly that name).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

# scikit-learn's default word token pattern, the one ThemeClassifier uses.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"

tokenize = re.compile(TOKEN_PATTERN).findall
_NUMBER = re.compile(r"\d+")
BULLET = re.compile(r"^[\s•●▪◦‣∙·*–—-]+")
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """What the features see: lower case, bullets stripped, numbers as one token."""
    text = BULLET.sub("", text.casefold())
    text = _NUMBER.sub("0", text)
    return _SPACE.sub(" ", text).strip()


def normalise_word(word: str) -> str:
    """`normalise_text` of one word (no whitespace) that does not start a text.

    Case folding and the number rule act within a word and the bullet rule only at the
    start of a text, so ``normalise_text(text).split()`` equals
    ``[normalise_word(w) for w in BULLET.sub("", text).split()]`` (tested for every
    code point); the predictor relies on this to cache n-grams per raw word.
    """
    return _NUMBER.sub("0", word.casefold())


def as_texts(texts: Iterable[object]) -> list[str]:
    """A list of texts as strings (missing values as ""); a single string is refused."""
    if isinstance(texts, str):
        raise TypeError("expected a list of texts, got a single string")
    return [
        "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
        for text in texts
    ]
