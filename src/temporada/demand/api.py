from ninja import Router

from . import api_aggregates

router = Router(tags=["demand"])
router.add_router("", api_aggregates.router)
