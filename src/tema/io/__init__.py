"""Files in and out: atomic writes and the readers shared by the stages."""
