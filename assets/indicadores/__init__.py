"""Analytics: indicators per official bairro, the investment score and trends."""
