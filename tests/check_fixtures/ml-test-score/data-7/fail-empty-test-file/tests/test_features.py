# tests to come
