"""The platform's request side: errors, the commit boundary, headers, rate limits, logs, OpenAPI."""
