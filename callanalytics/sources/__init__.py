"""HTTP clients for the two reporting APIs. Sources fetch bytes; readers type them."""
