"""What the five seed documents must load as, written out by hand from the originals."""

from __future__ import annotations

# number: (name, job title, organisation, role, reply_to, paragraphs, first words, last words)
SHARED_DECISION_MAKING = {
    547775: (
        "Leigh Powell",
        "Retired......for now",
        "None at present....I'm typing for myself",
        "other",
        None,
        1,
        "I feel the idea is easier said than done",
        "I hope you receive far better suggestions than this.",
    ),
    547779: (
        "Mark Duman",
        "NED",
        "PiF",
        "ned",
        None,
        1,
        "Marcus\nAs an ex King's fund staffer",
        "Thank you\nMark Duman\n07824 605 352",
    ),
    547780: (
        "Marcus powell",
        "Director of Leadership",
        "The Kings Fund",
        "staff",
        547779,
        4,
        "Mark - many thanks for your comment.",
        "Best regards\n\nMarcus",
    ),
    547786: (
        "Louise Hardy",
        "Senior lecturer and OD consultant",
        "Plymouth University and Louise Hardy Consulting",
        "other",
        None,
        1,
        "Great blog - and generally",
        "this is where we are.",
    ),
    547792: (
        "kevin riley",
        "Retired Public Sector Solicitor and User and active Supporter of Doctors and Nurses working in the NHS",
        None,
        "other",
        None,
        11,
        "No improvement in what is most important",
        "Kevin S. Riley Solicitor (Ret.)",
    ),
    547796: (
        "will sopwith",
        "Renuma",
        None,
        "other",
        None,
        3,
        "Great to see some blog attention to 'followership'",
        "Keep steering Marcus!",
    ),
}

PATIENT_CENTRED_LEADERSHIP = {
    40464: (
        "ALF COLLINS",
        "Clinical Associate",
        "Health Foundation",
        "clinician",
        None,
        7,
        "A fascinating and important report- thank you.",
        "want our workforce to employ",
    ),
    40467: (
        "Dr DJ Brown",
        "Clinical Fellow",
        "Homerton Hospital",
        "clinician",
        None,
        1,
        "The question has always been how to actually implement this.",
        "for a suggested structure.",
    ),
    40468: (
        "Tricia Woodhead",
        "Medical Director South West Patient Safety Improvement Collaborative",
        "Weston Area Health Trust",
        "clinician",
        None,
        1,
        "I agree with these observations",
        "overlook what matters most to the patient.",
    ),
    40469: (
        "Harry Longman",
        "Chief Executive",
        "Patient Access Ltd",
        "manager",
        None,
        1,
        '"We must shift the culture from meeting externally imposed targets".',
        "sounds rather powerful to me.",
    ),
    40477: (
        "Dominic Stenning",
        "Patient Leader",
        "CPFT",
        "patient_leader",
        None,
        1,
        "Really great document and great to see Patient Leaders on the agenda of change!",
        "@Patient_Leader",
    ),
    41852: (
        "Paul Bridle",
        "CEO",
        "Excellence Squared Limited",
        "manager",
        None,
        1,
        "It would be worth looking at the Leadership and Management Framework",
        "could be a useful goal to aim for.",
    ),
    42437: (
        "Dr Trudi Farrington",
        "Cultural Change Consultant",
        "Taylor Farrington Ltd",
        "other",
        None,
        1,
        "There is real hope here.",
        "have a background in the NHS.",
    ),
}

# How each commenter's role is known: "source" where the job title names it, else "inferred".
ROLE_SOURCES = {
    547775: "inferred",
    547779: "source",  # NED
    547780: "inferred",  # staff: works for the publisher
    547786: "inferred",
    547792: "inferred",
    547796: "inferred",
    40464: "inferred",  # Clinical Associate -> clinician
    40467: "inferred",  # Clinical Fellow -> clinician
    40468: "inferred",  # Medical Director -> clinician
    40469: "inferred",  # Chief Executive -> manager
    40477: "source",  # Patient Leader
    41852: "inferred",  # CEO -> manager
    42437: "inferred",
}

# slug: (file, title, subtitle, byline start, kind, first body words, last body words, bullet items, comments)
ARTICLES = {
    "shared-decision-making": (
        "shared-decision-making.txt",
        "Challenging traditional relationships and embracing shared decision-making",
        None,
        "Marcus Powell",
        "blog_post",
        "The NHS Confederation conference last week was a busy affair",
        "destroy both human potential and the future.",
        0,
        SHARED_DECISION_MAKING,
    ),
    "patient-centred-leadership": (
        "patient-centred-leadership.txt",
        "Patient-centred leadership",
        "Rediscovering our purpose",
        None,
        "report",
        "This report summarises the main findings of the Francis Inquiry",
        "## Publication details\n\n- Print copy: £8.50\n- No. of pages: 52\n- ISBN: 978 1 909029 08 8",
        8,
        PATIENT_CENTRED_LEADERSHIP,
    ),
    "leading-from-behind": (
        "leading-from-behind.txt",
        "How leading from behind can transform healthcare",
        None,
        "Thomas Dahlborg",
        "guest_post",
        '"My preference is to lead from behind."',
        "I have now truly experienced this phenomenon.",
        0,
        {},
    ),
    "collaborative-leadership-reading-list": (
        "collaborative-leadership-reading-list.txt",
        "The Practice of Collaborative Leadership:\u00a0Across health and care\u00a0services",
        None,
        None,
        "reading_list",
        "## Overview\n\n- The health needs of the population are changing",
        "notice, and learn.",
        13,
        {},
    ),
    "patient-centred-care-conference": (
        "conference-patient-centred-care.txt",
        "Patient-centred care: lessons from a quality and safety conference",
        None,
        None,
        "blog_post",
        "Being asked to speak at the Quality and Safety in Healthcare conference in Paris.",
        "the consequences are not worth thinking about.",
        0,
        {},
    ),
}

FURNITURE = [
    "Keep up to date",
    "Subscribe to our email newsletters",
    "Add new comment",
    "| Buy",
    "Comments: 7",
    "Keep up to date",
    "Further information",
    "#547775",
    "#40464",
]


# What the importer takes out of the published text (the seed files keep it): number -> (data, label).
REDACTED = {
    547779: ("07824 605 352", "[phone number removed]"),
    547780: ("m.powell@kingsfund.org.uk", "[email address removed]"),
}
