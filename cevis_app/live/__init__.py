"""The live component: logits dragged in the browser, every chart redrawn per frame from server-computed tables."""
