"""Keep the registry snapshots honest: every change to a country's worker profiles raises its RegistryVersion.

The supply services save the profile (``updated_at``) on every change — documents, occupations, languages,
consent, verification, status — so one post_save receiver on Worker covers them. Bulk deletes (which send no
post_delete per profile, and keep Django's fast path) announce themselves with ``supply.signals.profiles_deleted``.
Profiles inserted in bulk without ``save()`` (the synthetic generator) raise the highest profile id, which the
snapshot fingerprint also compares (snapshot.py)."""

from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver

from temporada.supply.models import Worker
from temporada.supply.signals import profiles_deleted


def bump(country: str) -> None:
    from .models import RegistryVersion

    updated = RegistryVersion.objects.filter(country_id=country).update(version=F("version") + 1)
    if not updated:
        RegistryVersion.objects.get_or_create(country_id=country, defaults={"version": 1})


@receiver(post_save, sender=Worker, dispatch_uid="matching.registry_version")
def bump_registry_version(sender, instance, raw=False, **kwargs):
    if raw or not instance.nationality_id:
        return
    bump(instance.nationality_id)


@receiver(profiles_deleted, dispatch_uid="matching.registry_version_deleted")
def bump_after_bulk_delete(sender, countries=(), **kwargs):
    for country in sorted(countries):
        bump(country)
