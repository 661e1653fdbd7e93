"""Pictures made from stored images: renditions, the pixel work behind them, and the
upload form. What an image file must be is ``articles.images``."""
