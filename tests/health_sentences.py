"""Ordinary English health sentences that name no drug, for the drug lexicon's false-hit test.

Written for this project (sample content, not quotations): patient-leaflet and
Q&A phrasing about symptoms, visits, tests, sleep, food, exercise, skin care and
follow-up, built from templates and word lists so that a few thousand distinct
sentences exercise the everyday words a medical page uses ("more", "today",
"focus", "advance", "ensure", "may", "care", "relief", "support", "clear",
"balance", "active", "natural"...). No medicine, supplement or chemical is named.

    sentences(3000, seed=13) -> list[str]     # deterministic
"""
from __future__ import annotations

import random

SUBJECTS = [
    "You", "Your doctor", "The nurse", "Most patients", "Many people", "Children", "Older adults",
    "Your family", "The care team", "A dermatologist", "Your pharmacist", "The clinic", "Some people",
    "People with eczema", "Patients with morphea", "Pregnant women", "Teenagers", "Caregivers",
]
ADVICE = [
    "should drink plenty of water", "may feel tired for a few days", "can return to work tomorrow",
    "should rest and keep the area clean", "may notice more redness at first", "will check your skin again",
    "can ask questions at any time", "should avoid scratching the patch", "may need a blood test",
    "will explain the results at the next visit", "should keep a diary of symptoms",
    "can focus on gentle stretching", "should wear loose cotton clothing", "may advance to harder exercises",
    "should ensure the wound stays dry", "will review your progress in six weeks",
    "can bring a friend to the appointment", "should protect the skin from strong sun",
    "may feel anxious before the procedure", "should eat a balanced diet", "can walk for thirty minutes",
    "will measure your blood pressure", "should sleep seven to nine hours", "may see improvement within months",
    "should call the clinic if the fever rises", "can book a follow-up visit online",
    "should moisturise twice a day", "will take a small skin sample", "may be referred to a specialist",
    "should stop smoking", "can reduce stress with breathing exercises", "should report any new lump",
    "will look at the whole family history", "may have mild pain after the test",
    "should keep nails short and clean", "can use a cool compress for itching",
    "should not lift heavy objects for a week", "will decide on the next step together",
    "may need physical therapy", "should take breaks from the screen", "can join a support group",
    "should wash hands before touching the dressing", "will send a letter to your family doctor",
    "may feel better after a good night's sleep", "should limit salty snacks and sugary drinks",
    "can ask for an interpreter", "should keep the appointment even if the rash fades",
]
WHEN = [
    "today", "this week", "after surgery", "before the visit", "during treatment", "every morning",
    "at night", "in the summer", "over the next month", "while the skin heals", "after the biopsy",
    "when symptoms return", "for the first few days", "until the next check-up", "in cold weather",
    "as the patch softens", "once the swelling goes down", "in the long term", "on weekends",
]
REASONS = [
    "to lower the risk of infection", "so the skin can recover", "to keep the joints moving",
    "because stress can make itching worse", "to support healthy healing", "so changes are found early",
    "to improve sleep quality", "for better balance and strength", "to prevent a flare",
    "so that the doctor has clear records", "to stay active and independent", "for natural relief of stiffness",
    "to protect your heart", "because early care matters", "to avoid dehydration",
    "so that scars stay soft", "to keep blood sugar steady", "to ease tension in the neck",
]
QUESTIONS = [
    "How long does the redness usually last?", "Is it normal to feel tired after the test?",
    "Can I go swimming with this rash?", "What should I eat before the blood test?",
    "When will the results be ready?", "Should I worry about the dark patch on my arm?",
    "Is the condition passed on in families?", "How often should I see the dermatologist?",
    "Can stress make the skin worse?", "What happens if the patch spreads?",
    "Do I need to stay in hospital?", "Can children get this condition?",
    "Will the scar fade over time?", "Is it safe to exercise during a flare?",
    "What are the early signs to look for?", "Who should I call at night?",
]
FACTS = [
    "Localized scleroderma affects the skin and sometimes the tissue beneath it.",
    "The cause of morphea is not fully understood.",
    "Regular check-ups help the care team follow changes in the skin.",
    "A skin biopsy takes a small sample for the laboratory.",
    "Physical therapy can help keep joints flexible.",
    "Many patches soften and fade over several years.",
    "Sun protection is part of everyday skin care.",
    "A healthy diet supports recovery after illness.",
    "Good sleep is important for the immune system.",
    "Some people notice more symptoms in cold weather.",
    "The clinic is open from nine in the morning to five in the afternoon.",
    "Blood pressure should be measured while seated and relaxed.",
    "Children may need more frequent visits as they grow.",
    "An ultrasound uses sound waves to look beneath the skin.",
    "Itching can disturb sleep and concentration.",
    "Support groups help patients share practical advice.",
]
OPENERS = ["", "In most cases, ", "If possible, ", "As a rule, ", "For comfort, ", "After the visit, ",
           "According to the leaflet, ", "To be safe, ", "In general, ", "Where needed, "]


def sentences(n: int = 3000, seed: int = 13) -> list[str]:
    """``n`` distinct sentences (fewer only if the templates run out), the same for the same seed."""
    rng = random.Random(seed)
    out: list[str] = list(dict.fromkeys(QUESTIONS + FACTS))
    seen = set(out)
    tries = 0
    while len(out) < n and tries < n * 20:
        tries += 1
        opener = rng.choice(OPENERS)
        subject = rng.choice(SUBJECTS)
        if opener:
            subject = subject if subject in ("You",) or subject.startswith("Your") else subject[0].lower() + subject[1:]
            subject = "you" if subject == "You" else subject.replace("Your", "your")
        parts = [opener + subject, rng.choice(ADVICE)]
        if rng.random() < 0.7:
            parts.append(rng.choice(WHEN))
        if rng.random() < 0.6:
            parts.append(rng.choice(REASONS))
        s = " ".join(parts)
        s = s[0].upper() + s[1:] + "."
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out[:n]
