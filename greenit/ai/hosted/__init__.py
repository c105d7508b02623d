"""Hosted generative AI: usage logs → usage rows → EcoLogits' impacts per request.

:mod:`~greenit.ai.hosted.usage` (usage logs and what people type in them) →
:mod:`~greenit.ai.hosted.models` (the model catalogue and the bridge to EcoLogits) →
:mod:`~greenit.ai.hosted.estimate` (resolve → place → impacts → assemble), with the impacts a
log gives itself (:mod:`~greenit.ai.hosted.given`), the providers' published figures beside them
(:mod:`~greenit.ai.hosted.references`) and the figures per service
(:mod:`~greenit.ai.hosted.summary`). Providers' JSON exports are read by
:mod:`greenit.parsing.formats.providers`.
"""
