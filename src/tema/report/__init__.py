"""Stage `report`: theme counts with intervals, corrected shares and examples."""
