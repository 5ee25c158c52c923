from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    default = True  # this module also holds the admin's config, below
    name = "guides"
    verbose_name = _("Guides")

    def ready(self):
        import helpcenter.checks  # noqa: F401 - registers the project's system checks
        from guides import addresses, changes, content_version, outbox, proposals
        from guides.groups import ensure_groups
        from guides.models import Guide, Platform, Prerequisite, Screenshot, Step, StepReport, StepVariant
        from guides.ordering import order_saved
        from guides.search import documents

        # After auth has created this app's permissions (auth is listed first).
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="guides.ensure_groups")
        # A request that queued e-mail sends it once its response is written.
        request_started.connect(outbox.forget_unsent, dispatch_uid="guides.outbox.forget_unsent")
        request_finished.connect(outbox.send_after_response, dispatch_uid="guides.outbox.send_after_response")
        # What readers see changed: cached pages are keyed by the content version.
        for model in (Platform, Guide, Prerequisite, Step, StepVariant, Screenshot):
            post_save.connect(content_version.bump, sender=model, dispatch_uid=f"guides.bump.save.{model.__name__}")
            post_delete.connect(content_version.bump, sender=model, dispatch_uid=f"guides.bump.delete.{model.__name__}")
        post_delete.connect(content_version.bump, sender=StepReport, dispatch_uid="guides.bump.delete.StepReport")
        related = Guide.related_guides.through
        m2m_changed.connect(
            content_version.bump_on_relation_change, sender=related, dispatch_uid="guides.bump.related_guides"
        )
        # The feed and the sitemap date a guide by its last change readers should hear of.
        post_save.connect(changes.guide_saved, sender=Guide, dispatch_uid="guides.changes.Guide")
        for model in (Prerequisite, Step):
            post_save.connect(changes.part_saved, sender=model, dispatch_uid=f"guides.changes.save.{model.__name__}")
            post_delete.connect(
                changes.part_deleted, sender=model, dispatch_uid=f"guides.changes.delete.{model.__name__}"
            )
        for model in (StepVariant, Screenshot):
            post_save.connect(
                changes.step_part_saved, sender=model, dispatch_uid=f"guides.changes.save.{model.__name__}"
            )
            post_delete.connect(
                changes.step_part_deleted, sender=model, dispatch_uid=f"guides.changes.delete.{model.__name__}"
            )
        # An editor's change to a published guide becomes a proposal (see guides.publishing).
        for model in (Guide, Prerequisite, Step, StepVariant, Screenshot):
            post_save.connect(proposals.part_saved, sender=model, dispatch_uid=f"guides.proposals.{model.__name__}")
            post_delete.connect(
                proposals.part_deleted, sender=model, dispatch_uid=f"guides.proposals.delete.{model.__name__}"
            )
        m2m_changed.connect(proposals.related_changed, sender=related, dispatch_uid="guides.proposals.related")
        order_saved.connect(proposals.order_saved, dispatch_uid="guides.proposals.order")
        # Old addresses keep leading to a renamed page.
        for model in (Platform, Guide):
            post_save.connect(addresses.record, sender=model, dispatch_uid=f"guides.addresses.{model.__name__}")
        # Search reads documents rewritten with the guides they come from.
        post_migrate.connect(documents.ensure_built, sender=self, dispatch_uid="guides.search.ensure_built")
        for model, changed in (
            (Platform, documents.platform_changed),
            (Guide, documents.guide_changed),
            (Prerequisite, documents.part_changed),
            (Step, documents.part_changed),
        ):
            post_save.connect(changed, sender=model, dispatch_uid=f"guides.search.save.{model.__name__}")
        post_save.connect(documents.variant_changed, sender=StepVariant, dispatch_uid="guides.search.save.StepVariant")
        post_delete.connect(
            documents.variant_changed, sender=StepVariant, dispatch_uid="guides.search.delete.StepVariant"
        )
        for model in (Prerequisite, Step):
            post_delete.connect(
                documents.part_changed, sender=model, dispatch_uid=f"guides.search.delete.{model.__name__}"
            )


class HelpCenterAdminConfig(admin_apps.AdminConfig):
    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "guides.adminsite.HelpCenterAdminSite"
