"""The article as text: input checks, paragraphs and sentences, language."""
