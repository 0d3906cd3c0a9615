"""Stage `classify`: a theme, a calibrated confidence and an uncertain flag for each unit."""
