"""Modules: APIs of your own behind Latchkey, each in a folder of its own (api/module.py says what one
holds). The enabled ones, one line each; delete a module's folder and its line (then
`python -m contract`) and Latchkey is the auth service alone."""

ENABLED = (
    "assessments",  # the assessment product the first clients were written against: Latchkey's worked example
)
