"""Library tests: numpy, hypothesis and the stored PyTorch values; never torch itself."""

# The generator of the torch fixture needs torch, which the suite never does.
collect_ignore = ["make_torch_reference.py"]
