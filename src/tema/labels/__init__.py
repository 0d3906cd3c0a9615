"""The labelled units: the store in data/labeled/, import and export, audit, suggestions."""
