"""Small helpers every layer may use: the one clock (UTC now, database times made aware, UK
readable dates), plain-SMS text and its length (GSM-7), and the readability measure. Nothing
here imports from the rest of bot/ except bot.settings.
"""
