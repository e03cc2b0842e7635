"""Template helpers of the matching app, and the small "propose candidates" block that other apps' pages
include (``{% load matching %}{% matching_link job %}`` on the job-order page)."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.inclusion_tag("matching/_joborder_link.html", takes_context=True)
def matching_link(context, job):
    """Shown to origin officials only: they run shortlists over their own registry."""
    from temporada.accounts.roles import Role

    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active
                and user.role == Role.ORIGIN_OFFICIAL and user.country_codes and not job.is_synthetic)
    return {"show": show, "job": job}
