const binaryView = { shape: () => "", build() { throw new Error("binary view: not yet"); } };
