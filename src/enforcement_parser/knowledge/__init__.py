"""Loading the data tables the engine applies: catalogue, vocabulary, units, places."""
