"""The wire between exam machines, consoles and the room service: WebSocket + JSON, protocol v1."""
