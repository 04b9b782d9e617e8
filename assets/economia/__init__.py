"""Economy: the companies register (restaurants and bars in the data we have)."""
