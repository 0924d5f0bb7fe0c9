"""Small trained heads on a model's hidden states (the stance head), with their cards."""
