from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "liaison.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        # Gating plugs into the earlier apps' services through their guard points, and
        # the training attributes reach other apps through the core attribute registry:
        # directory and agreements never import training.
        from liaison.core import attributes, guards
        from liaison.training import gating, rules  # noqa: F401 - declares the rules
        from liaison.training.readiness import person_training_attributes

        guards.register(
            "directory.task_force_assignment_create", gating.assignment_guard, key="training"
        )
        guards.register(
            "agreements.agreement_nominate_person", gating.nomination_guard, key="training"
        )
        guards.register(
            "agreements.agreement_training_requirement_add",
            gating.agreement_requirement_guard,
            key="training",
        )
        attributes.register("training", person_training_attributes)
