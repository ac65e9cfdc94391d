from tests.base import ShopCase


class CartChecks(ShopCase):
    def test_empty(self):  # mlaudit-expect: tests.present
        self.assertEqual(self.items, [])

    def helper(self):  # mlaudit-ok: tests.present
        pass
