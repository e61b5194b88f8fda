"""Models of this app land with their feature."""
