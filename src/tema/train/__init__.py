"""Stages `train` and `evaluate`: the classifier fitted on the labelled units, checked by
cross-validation and promoted only if it is no worse than the current one."""
