import pandera as pa
from pandera import Column, DataFrameSchema

# mlaudit-expect: data.validation
schema = DataFrameSchema({
    "age": Column(int, pa.Check.in_range(0, 120)),
    "income": Column(float, nullable=True),
})


def validate(df):
    return schema.validate(df)
