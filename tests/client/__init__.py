"""Tests of the API layer (client, rest, context, models)."""
