"""AI workloads, in two pipelines of their own: each reads its files, normalises, estimates.

- :mod:`greenit.ai.runs` — self-hosted runs from logs (hand-written, CodeCarbon, Slurm, a
  ``greenit track`` log): runs → Green-Algorithms energy, usage and embodied emissions;
- :mod:`greenit.ai.hosted` — hosted generative AI (a service calling a provider's model): usage
  rows → EcoLogits' impacts per request, the providers' own figures beside them.

Live measurement (``greenit track``) is :mod:`greenit.tracking`. Nothing is imported here:
``greenit track`` reads :mod:`greenit.ai.runs.limits` while the user's command waits to start.
"""
