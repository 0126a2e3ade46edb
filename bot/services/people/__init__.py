"""Who is who: the person behind a channel address, linking SMS and web chat into one person
(and merging their records and plans), putting people on a coordinator's caseload with an
enrolment code, who their coordinator is, and counting wrong tries at one-time codes.
"""
