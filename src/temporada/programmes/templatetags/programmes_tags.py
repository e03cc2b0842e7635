from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def source_ref(source, checked_on=None):
    """Link to a source (or its file name when it is a vendored data file) with the date it was checked."""
    if source is None:
        return ""
    checked = format_html(" · {} {}", _("verificado el"), checked_on.isoformat()) if checked_on else ""
    if source.url.startswith(("http://", "https://")):
        return format_html('<a href="{}" rel="noopener">{}</a> ({}){}', source.url, source.title, source.publisher, checked)
    return format_html("{} ({}, <code>{}</code>){}", source.title, source.publisher, source.url, checked)


@register.filter
def ratification_kind(kind):
    from ..presentation import ratification_kind_label

    return ratification_kind_label(kind)


@register.filter
def can_draft(user) -> bool:
    """Officials with a country and content reviewers may draft new catalogue records."""
    from ..models import is_reviewer

    if not getattr(user, "is_authenticated", False):
        return False
    return is_reviewer(user) or (user.role in ("origin_official", "destination_official") and bool(user.country_codes))
