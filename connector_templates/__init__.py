"""Connector project templates rendered by ``c2c init`` (package data)."""
