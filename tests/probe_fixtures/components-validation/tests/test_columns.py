def test_columns(df):
    df.expect_table_columns_to_match_ordered_list(["age", "income"])  # mlaudit-expect: data.validation
