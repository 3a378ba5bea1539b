"""The widgets of the chat app, one per module."""
