"""Simulated exam machines and whole rooms, over real sockets."""
