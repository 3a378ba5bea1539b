"""The screens of the chat app: the conversation and its modal dialogs."""
