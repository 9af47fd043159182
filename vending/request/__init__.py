"""Requests: the model, its field rules, loading from YAML and the interface-version gate."""
