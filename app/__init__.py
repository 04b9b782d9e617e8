"""The Streamlit app and the ``bhnav`` command line."""
