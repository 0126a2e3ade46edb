"""Domain rules, one package per capability, tested without Rasa (see docs/architecture.md).

Each package's docstring says what it owns. Services may import bot.settings, bot.common,
bot.security, bot.language, bot.store and one another; never bot.nlu, bot.policies,
bot.actions, bot.channels or bot.web (tests/test_import_layers.py checks it).
"""
