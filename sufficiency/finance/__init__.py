"""Spend projection: forecast paths x unit costs x inflation, against budget."""
