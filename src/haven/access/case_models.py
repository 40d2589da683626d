"""The case models as access knows them."""

from django.db.models import Model

# The case models, registered by the cases app (``register_case_models``): access sits below cases
# and never imports them.
_CASE_MODELS: dict[str, type[Model]] = {}


def register_case_models(*, case: type[Model], share: type[Model]) -> None:
    _CASE_MODELS.update(case=case, share=share)


def case_model(name: str = "case") -> type[Model]:
    try:
        return _CASE_MODELS[name]
    except KeyError:
        raise LookupError("no case model is registered (haven.cases registers it when it is installed)") from None
