"""Small, measured changes to Rasa's own behaviour, installed in every rasa server by the
tracker store (bot/store/tracker_store.py): a faster check of action server answers
(speedups.py, docs/performance.md) and a turn whose custom action cannot run stopping kindly
instead of answering nothing (action_guard.py, docs/clinical-safety.md). They import only
Rasa, so every layer may use them.
"""
