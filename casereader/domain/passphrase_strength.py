"""How strong a passphrase is: the rule for store passphrases and the lead inspector's key.

A passphrase passes when it is at least MIN_LENGTH characters long and zxcvbn (a maintained
port of Dropbox's estimator: dictionaries, keyboard patterns, dates, repeats, l33t) scores it
at least MIN_SCORE of 4, i.e. it would take about 10^8 guesses or more. Four or more random
words (as `casereader` suggests) always pass; "password", a name with a year, or one word do
not. The estimator is imported only when a passphrase is checked.
"""

MIN_LENGTH = 10
MIN_SCORE = 3
ADVICE = "four or more random words are best"


def passphrase_problem(passphrase: str, what: str = "passphrase") -> str:
    """Why `passphrase` is too weak ("" when it is strong enough), in one sentence."""
    if len(passphrase) < MIN_LENGTH:
        return f"Choose a {what} of at least {MIN_LENGTH} characters; {ADVICE}."
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:100])  # the estimator is slow on very long input
    if result["score"] >= MIN_SCORE:
        return ""
    warning = (result.get("feedback") or {}).get("warning") or "it is too easy to guess"
    return f"That {what} is too easy to guess ({warning.rstrip('.')}); {ADVICE}."
