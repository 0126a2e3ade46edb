"""How someone says they feel, answered with what was heard and something of their own
(content/feelings.yml). Plain rules, no Rasa."""
