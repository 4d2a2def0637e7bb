"""Text: parsing user input, formulas (LaTeX), code generation, number formatting, escaping."""
