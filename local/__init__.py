"""The local runtime: template.yaml served on 127.0.0.1 with moto behind it. Not deployed."""
