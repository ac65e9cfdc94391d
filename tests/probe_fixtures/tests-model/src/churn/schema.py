import pandera as pa

CUSTOMERS = pa.DataFrameSchema({"tenure": pa.Column(int, pa.Check.ge(0))})
