"""The peer support directory (content/peer_support.yml) and turning what someone says into a
search of it.
"""
