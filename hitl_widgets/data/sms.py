"""Offline SMS spam/ham messages, generated in code from templates (river's SMSSpam downloads).

The messages read like the UCI SMS Spam Collection: short, informal ham about
plans, family and work; spam about prizes, loans, ringtones and "urgent"
accounts. Some of each borrow the other's words ("free", "call", "win"), so the
model meets items it is unsure about, and an optional drift brings in a new
spam campaign part-way, so that the model starts asking again.
"""

from __future__ import annotations

import random

_HAM = [
    "{hey} are we still on for {meal} {when}?",
    "{hey} I'll be late, stuck in {place}. Start without me",
    "Can you pick up {thing} on your way home?",
    "Did you see {person} {when}? {pron} looked {mood}",
    "Thanks for {meal}, it was {good}! Let's do it again {when}",
    "I'm at {place}, call me when you're free",
    "Happy birthday {person}!! Hope you have a {good} day",
    "{hey} what time does the {event} start {when}?",
    "Running {mins} mins late, sorry. See you at {place}",
    "Mum says {meal} is at {clock}, don't be late",
    "Ok lor. I'll meet you at {place} after {event}",
    "Did you win the {event}? {person} said it was close",
    "Free {when}? We could watch the {event} at {place}",
    "I'll call you back after the {event}, in {place} now",
    "Can't talk now, in a {event}. Text me the {thing}",
    "lol that's so {mood}. {person} will love it",
    "Don't forget the {thing} for {person} {when}",
    "Just got home. {meal} was {good}, thanks again",
    "Are you coming to the {event} {when}? {person} is bringing {thing}",
    "Your {thing} is on the table, I borrowed it {when}",
    # ham in spam's words
    "I won {money} at the {event} quiz lol! Drinks on me {when}",
    "Call me when you're free, URGENT, it's about {person}'s party",
    "Free tickets for the {event} {when}, want one? {person} can't go",
    "Reply when you can, the {event} prize draw is {when}",
    "Text me the code for the wifi at {place}",
    "Congrats on the new job!! {person} told me, call me {when}",
]
_SPAM = [
    "{urgent} You have won a {prize}! Call {phone} to claim. T&C apply {cost}",
    "Congratulations! You've been selected for a {prize}. Reply {word} to {short} now",
    "FREE {tone} ringtone! Text {word} to {short}. {cost} per msg, 18+ only",
    "{urgent} Your account has been suspended. Verify at {url} within 24 hours",
    "Get a loan of {money} today, no credit check! Call {phone} now",
    "You are a winner! Claim your {money} cash prize. Call {phone} before {deadline}",
    "Last chance! {prize} waiting for you. Text CLAIM to {short}. Std rates apply",
    "Hot singles in {place} want to meet you! Text {word} to {short} {cost}",
    "Your mobile number has won {money} in our weekly draw. Call {phone} to claim",
    "{urgent} We tried to contact you about your {prize}. Call {phone} now",
    "Free entry into our {money} weekly comp! Text WIN to {short} to receive entry",
    "Txt {word} to {short} for your FREE {tone} ringtone. Unsubscribe STOP",
    # spam in ham's words
    "{hey} it's {person}, I've got a new number. Can you text me back on {phone}?",
    "{hey} {person} here, is this your photo from the {event}? {url}",
    "Hi, we met at {place} {when}. Call me on {phone} x",
    "{hey} your {thing} order is ready, pick a delivery time at {url}",
]
# a later campaign: parcel and crypto scams, with words the first spam never used
_SPAM_DRIFT = [
    "Your parcel is held at the depot. Pay the {small} redelivery fee at {url}",
    "We could not deliver your package. Reschedule at {url} today",
    "Earn {money} a week from home with bitcoin. Message {person} on WhatsApp",
    "Your delivery fee of {small} is unpaid. Update your details at {url}",
    "Crypto wallet alert: confirm your seed phrase at {url} to avoid losing funds",
]
_WORDS = {
    "hey": ["Hey", "Hi", "Yo", "Hiya", "Hello", "Oi"],
    "meal": ["dinner", "lunch", "brunch", "coffee", "drinks", "pizza"],
    "when": ["tonight", "tomorrow", "later", "on Sunday", "next week", "today"],
    "place": ["the station", "traffic", "work", "the library", "town", "the pub", "the gym"],
    "thing": ["the keys", "milk", "the charger", "the tickets", "bread", "my jacket", "the notes"],
    "person": ["Sam", "Jo", "Alex", "Priya", "Tom", "Mia", "Dad", "Grandma"],
    "pron": ["She", "He", "They"],
    "mood": ["tired", "happy", "funny", "great", "stressed", "weird"],
    "good": ["lovely", "great", "amazing", "nice", "so good"],
    "event": ["match", "meeting", "lecture", "film", "party", "class", "gig", "quiz"],
    "mins": ["5", "10", "15", "20"],
    "clock": ["6", "7", "7.30", "8"],
    "urgent": ["URGENT!", "IMPORTANT:", "Attention!", "FINAL NOTICE:", ""],
    "prize": ["£1000 prize", "holiday to Spain", "new iPhone", "cash award", "£500 voucher", "free cruise"],
    "phone": ["09061701461", "08712300220", "09050003091", "0800 542 0825", "09064012160"],
    "word": ["YES", "WIN", "GO", "PRIZE", "TONE"],
    "short": ["87121", "80082", "85023", "69669", "88600"],
    "cost": ["£1.50/wk", "150p/msg", "£3/wk", "16+", "£2.50"],
    "tone": ["Nokia", "polyphonic", "top 10", "hit"],
    "url": ["www.secure-acct.co", "bit.ly/3xQ9", "verify-now.net", "royal-mail-redelivery.com"],
    "money": ["£2000", "£5000", "£250", "£900", "£1500"],
    "deadline": ["Friday", "midnight", "the 28th", "tomorrow"],
    "small": ["£1.99", "£2.99", "£0.99"],
}


def sms_spam(
    n: int = 2000, *, spam_share: float = 0.15, drift_at: int | None = None, seed: int = 0
) -> list[tuple[str, str]]:
    """``n`` SMS messages as ``(text, label)`` with label ``"ham"`` or ``"spam"``.

    ``drift_at``: from this item on, spam comes from a new campaign (parcel and
    crypto scams) whose words the model has not seen.

    >>> messages = sms_spam(1000, seed=0)
    >>> len(messages), sum(y == "spam" for _, y in messages)
    (1000, 149)
    >>> sms_spam(3, seed=1) == sms_spam(3, seed=1)
    True
    """
    if not 0 <= spam_share <= 1:
        raise ValueError(f"sms_spam: spam_share must be in [0, 1], got {spam_share}")
    rng = random.Random(seed)
    out = []
    for i in range(n):
        spam = rng.random() < spam_share
        if spam:
            drifted = drift_at is not None and i >= drift_at and rng.random() < 0.7
            template = rng.choice(_SPAM_DRIFT if drifted else _SPAM)
        else:
            template = rng.choice(_HAM)
        text = template.format_map(_Pick(rng)).strip()
        out.append((text, "spam" if spam else "ham"))
    return out


class _Pick(dict):
    """Fills each ``{slot}`` of a template with a random word for that slot."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        return self.rng.choice(_WORDS[key])
