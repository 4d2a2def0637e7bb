"""Suite-wide settings."""

# The generator of the torch fixture needs torch, which the suite never does.
collect_ignore = ["make_torch_reference.py"]
