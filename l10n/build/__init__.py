"""The one build (:func:`l10n.build.run.build`): the state, the plan, the stages, the report."""
