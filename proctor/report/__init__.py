"""The room situation report and its forms: content from the log (content.py), then rendered."""
