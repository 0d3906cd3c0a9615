"""Stage `segment`: documents cut into units (sentences, bullet items, headings, answers)."""
