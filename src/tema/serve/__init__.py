"""`tema serve`: the local browser app (batches, report, review and labelling, retraining)."""
