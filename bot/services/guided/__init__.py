"""The shared machinery of question-by-question conversations: steering words (skip, later,
back), reading list answers the way people write them, where a person stopped, and the
wording of the guided conversations.
"""
