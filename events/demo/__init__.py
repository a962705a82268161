"""The demo timeline: a data file, the article it is built from, and its loader."""
