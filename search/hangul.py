"""Hangul at the letter (jamo) level: decomposition for typo distance, 초성 for autocomplete.

A precomposed syllable (가-힣) is 초성 × 중성 × 종성 arithmetic (Unicode §3.12), so no table of
syllables is needed. A one-letter typo (공기청청기 for 공기청정기: ㅊ for ㅈ) is one edit on jamo but a whole
syllable on characters, which is why typo distance is measured here on jamo.
"""

from __future__ import annotations

SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3
CHOSUNG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSUNG = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
# Keyboards type compatibility jamo (U+3131…), NFKC turns them into conjoining ones (U+1100…): accept both.
_CONJOINING_CHOSUNG = {chr(0x1100 + index): letter for index, letter in enumerate(CHOSUNG)}
_COMPAT_CONSONANTS = frozenset(chr(code) for code in range(0x3131, 0x314F))


def is_syllable(char: str) -> bool:
    return SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


def is_hangul_word(word: str) -> bool:
    return bool(word) and all(is_syllable(char) for char in word)


def jamo(text: str) -> str:
    """Each syllable as its letters (공기 → ㄱㅗㅇㄱㅣ); other characters unchanged."""
    out: list[str] = []
    for char in text:
        if is_syllable(char):
            index = ord(char) - SYLLABLE_FIRST
            out.append(CHOSUNG[index // 588] + JUNGSUNG[(index % 588) // 28] + JONGSUNG[index % 28])
        else:
            out.append(char)
    return "".join(out)


def chosung(text: str) -> str:
    """The initial consonant of each syllable (공기청정기 → ㄱㄱㅊㅈㄱ); other characters lowercased."""
    return "".join(
        CHOSUNG[(ord(char) - SYLLABLE_FIRST) // 588] if is_syllable(char) else char.lower() for char in text
    )


def as_chosung_query(text: str) -> str | None:
    """What was typed as initial consonants only (ㄱㅊㅈ), in compatibility jamo, or None if it is not."""
    letters = "".join(_CONJOINING_CHOSUNG.get(char, char) for char in "".join((text or "").split()))
    if letters and all(char in _COMPAT_CONSONANTS and char in CHOSUNG for char in letters):
        return letters
    return None


def within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance ≤ 1, counting a swap of two neighbours as one edit (optimal string alignment)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [index for index, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:index] + long[index + 1 :] == short for index in range(len(long)))


def deletions(word: str) -> set[str]:
    """The word with one letter removed, every way (the symmetric-delete index of typo lookup)."""
    return {word[:index] + word[index + 1 :] for index in range(len(word))}
