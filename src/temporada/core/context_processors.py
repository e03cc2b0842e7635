from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import entry_links, nav_items


def temporada(request):
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "nav_items": SimpleLazyObject(nav_items),
        "entry_links": SimpleLazyObject(entry_links),
    }
