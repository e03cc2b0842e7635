"""Signals other apps listen to.

``profiles_deleted`` (keyword ``countries``: set of ISO3 codes) is sent by every code path that deletes worker
profiles without ``Model.delete()`` per object (today only ``synthetic.delete_synthetic``): a bulk delete sends
no post_delete per profile, and the matching snapshots need to know that a country's registry changed."""

from django.dispatch import Signal

profiles_deleted = Signal()
