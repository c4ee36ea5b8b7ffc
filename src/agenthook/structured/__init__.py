"""Parsers for agent configuration formats that keep track of where each value sits."""
