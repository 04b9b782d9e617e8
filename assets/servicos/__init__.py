"""Public services: health centres and municipal parks."""
