"""Readmission risk at discharge: the models (readmission_model) and their evaluation against
the generator's planted probabilities (evaluation). Pure Python over pandas frames: no Dagster,
no warehouse access; defs/prediction.py wires them."""
