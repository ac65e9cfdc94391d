import unittest


class ShopCase(unittest.TestCase):
    def setUp(self):
        self.items = []
