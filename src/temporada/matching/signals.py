"""Keep the registry snapshots honest: every save of a worker profile raises its country's RegistryVersion.

The supply services save the profile (``updated_at``) on every change — documents, occupations, languages,
consent, verification, status — so one receiver on Worker covers them. Profiles inserted in bulk without
``save()`` (the synthetic generator) or deleted change the number or highest id of profiles, which the
fingerprint also compares; no delete receiver, so bulk deletes keep Django's fast path."""

from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver

from temporada.supply.models import Worker


@receiver(post_save, sender=Worker, dispatch_uid="matching.registry_version")
def bump_registry_version(sender, instance, raw=False, **kwargs):
    if raw or not instance.nationality_id:
        return
    from .models import RegistryVersion

    updated = RegistryVersion.objects.filter(country_id=instance.nationality_id).update(version=F("version") + 1)
    if not updated:
        RegistryVersion.objects.get_or_create(country_id=instance.nationality_id, defaults={"version": 1})
