"""Check every content file before anything starts.

A service edits content/ by hand. A mistake there must stop start-up with a message naming
the file, the entry and the problem, rather than surface later as a confused reply to
someone who needed a clear one. Each loader raises ValueError in that form.
"""

from __future__ import annotations

from bot.common.content_files import read_content
from bot.language.normalise import load_language
from bot.services.carers.carers import carers_content, what_a_carer_can_be_told
from bot.services.consent.content import load_consent_content
from bot.services.coordination.dashboard_content import load_dashboard_content
from bot.services.coordination.team_messages_content import load_team_messages_content
from bot.services.crisis.content import load_crisis_content
from bot.services.crisis.context import load_context_rules
from bot.services.crisis.detection import CrisisDetector, default_patterns_path
from bot.services.crisis.help_questions import HelpQuestions
from bot.services.feelings.content import load_feelings_content
from bot.services.feelings.fallback import load_fallback_content
from bot.services.guided import content as guided_content
from bot.services.guided.controls import _phrases
from bot.services.information.explanations import load_information
from bot.services.peer_support.directory import load_directory
from bot.services.peer_support.search import conversation_content
from bot.services.sms.content import load_sms_content
from bot.services.webchat.content import load_webchat_content
from bot.services.wrap.content import load_wrap_content
from bot.settings import Settings


def check_all_content(settings: Settings) -> None:
    """Raise ValueError for the first problem found in content/."""
    from bot.language.spacy_pipeline import load_pipeline

    load_crisis_content(settings)
    patterns_path = default_patterns_path()
    patterns = read_content(patterns_path)
    nlp = load_pipeline(str(settings.spacy_model_path))
    CrisisDetector(nlp, patterns, str(patterns_path))
    HelpQuestions.from_file(nlp)
    load_context_rules()
    load_wrap_content()
    _phrases()
    load_directory()
    conversation_content()
    load_information()
    what_a_carer_can_be_told()
    carers_content()
    load_sms_content()
    load_consent_content()
    load_dashboard_content()
    load_team_messages_content()
    guided_content.check_all()
    load_webchat_content()
    load_language()
    load_feelings_content()
    load_fallback_content()
