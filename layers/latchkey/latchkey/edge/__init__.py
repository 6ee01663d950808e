"""The HTTP edge: API Gateway events in, envelopes out; the route map; the authorizer's policy."""
