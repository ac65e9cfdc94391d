import pandera as pa
from pandera import Column, DataFrameSchema

customers = DataFrameSchema({
    "tenure": Column(int, pa.Check.ge(0)),
    "monthly_charges": Column(float, pa.Check.in_range(0, 500)),
    "churned": Column(int, pa.Check.isin([0, 1])),
})
