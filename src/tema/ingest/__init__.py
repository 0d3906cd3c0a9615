"""Stage `ingest`: documents in (text, PDF, Word, survey tables) with their provenance."""
