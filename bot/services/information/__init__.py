"""Short explanations people ask for (content/information.yml) and the guided tour of what
care coordination involves.
"""
