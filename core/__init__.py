"""The shared kernel every app imports: domain errors, API building blocks (serializers, parsers,
pagination, the JSON error handler) and request middleware. It imports no app of this project."""
