from django import template

from temporada.core.i18n import translated_value

register = template.Library()


@register.filter
def tr(obj, field):
    """``{{ obj|tr:"name" }}``: the record's field in the active language."""
    if obj is None:
        return ""
    return translated_value(obj, field)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """Current query string with some parameters replaced (pagination, filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
