"""Routes of this part (ADR 0036); filled in by its owner."""

urlpatterns: list = []
