"""Headless core of the room proctor console: rules, store, link, service, simulator."""

__version__ = "0.1.0"
