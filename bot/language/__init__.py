"""Reading what people type, shared by the NLU pipeline and the services: the local spaCy
pipeline (blank English and lookup lemmas, no download) and the cleaning every inbound text
gets before Rasa sees it.
"""
