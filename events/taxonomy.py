"""The event taxonomy's codes, checked against the published codebooks: what each code means.

Each event type may name the closest CAMEO event code and PLOVER event type (EventType.cameo_code,
.plover_code; a blank is more honest than a forced match). The labels below are the codebooks'
own, for the codes the taxonomy uses; `GET /api/v1/types/` shows them beside each code. A code
not listed here is shown without a label (a curator may add types with other codes).

Sources, as checked on 3 December 2026:

- CAMEO: Philip A. Schrodt, "CAMEO: Conflict and Mediation Event Observations. Event and Actor
  Codebook", version 1.1b3, Pennsylvania State University, March 2012,
  http://eventdata.parusanalytics.com/data.dir/cameo.html (the codes 01-20 and their 3-digit
  subcodes; the same labels as the GDELT event codebook). Note 064 is "Share intelligence or
  information" (a kind of material cooperation), not diplomatic relations.
- PLOVER: Open Event Data Alliance, "PLOVER: Political Language Ontology for Verifiable Event
  Records. Event, Actor and Data Interchange Specification", draft version 0.7b1 (2021),
  https://github.com/openeventdata/PLOVER/blob/master/PLOVER_MANUAL.pdf, and its CAMEO mapping
  https://github.com/openeventdata/PLOVER/blob/master/CAMEO2PLOVER-2021.txt. Its event types
  are AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, DEMAND, DISAPPROVE/ACCUSE,
  REJECT, THREATEN, PROTEST, SANCTION, MOBILIZE, COERCE and ASSAULT (earlier drafts also had
  FIGHT, since folded into ASSAULT, and CRIME, since dropped). There is no type "REDUCE": CAMEO's
  "Reduce relations" (16), including "Reduce or stop aid" (162) and sanctions (163), is
  PLOVER's SANCTION. Signing or concluding an agreement is SUPPORT; promising to is AGREE.
"""

CAMEO_LABELS = {
    "010": "Make statement, not specified below",
    "033": "Express intent to provide material aid",
    "04": "Consult",
    "040": "Consult, not specified below",
    "046": "Engage in negotiation",
    "057": "Sign formal agreement",
    "064": "Share intelligence or information",
    "07": "Provide aid",
    "162": "Reduce or stop aid",
    "163": "Impose embargo, boycott, or sanctions",
    "190": "Use conventional military force, not specified below",
}

PLOVER_LABELS = {
    "AGREE": "Agree to, offer or promise to cooperate (verbal cooperation)",
    "CONSULT": "Consultations and meetings (verbal cooperation)",
    "SUPPORT": "Diplomatic, non-material cooperation, including signing agreements "
    "(verbal cooperation)",
    "CONCEDE": "Verbal concessions (verbal cooperation)",
    "COOPERATE": "Mutual material cooperation or exchange (material cooperation)",
    "AID": "Material aid that benefits the recipient (material cooperation)",
    "RETREAT": "Concessions with immediate material consequences (material cooperation)",
    "DEMAND": "Demands and orders (verbal conflict)",
    "DISAPPROVE": "Criticism and accusations (verbal conflict)",
    "REJECT": "Rejections and refusals (verbal conflict)",
    "THREATEN": "Threats and coercive warnings (verbal conflict)",
    "PROTEST": "Civilian demonstrations and collective protest (material conflict)",
    "SANCTION": "Reductions in normal or cooperative relations, including sanctions and "
    "stopping aid (material conflict)",
    "MOBILIZE": "Military or police moves short of the use of force (material conflict)",
    "COERCE": "Repression or restrictions on rights (material conflict)",
    "ASSAULT": "Deliberate actions that can cause substantial physical harm, including the "
    "use of military force (material conflict)",
}

# What the first release seeded wrongly, and why (applied by migration 0011_taxonomy_codes):
# slug -> (CAMEO, PLOVER).
CORRECTIONS = {
    # CAMEO 033 is an intent; PLOVER codes intents to provide aid as AGREE, not AID.
    "aid-pledge": ("033", "AGREE"),
    # There is no PLOVER "REDUCE": stopping aid is SANCTION (CAMEO 162).
    "aid-suspension": ("162", "SANCTION"),
    # 043 is "Host a visit"; a summit may be hosted or held elsewhere: Consult, unspecified.
    "summit": ("040", "CONSULT"),
    # 064 is "Share intelligence or information". Relations established or restored are
    # SUPPORT (CAMEO 05x), cut are SANCTION (161): this type covers both, so no single code fits.
    "diplomatic-relations": ("", ""),
    # Signing a formal agreement is PLOVER SUPPORT (AGREE is the promise to sign).
    "agreement": ("057", "SUPPORT"),
    # PLOVER 0.7b1 folds FIGHT into ASSAULT (mode heavy-weapons).
    "military-action": ("190", "ASSAULT"),
}


def cameo_label(code: str) -> str:
    return CAMEO_LABELS.get(code, "")


def plover_label(code: str) -> str:
    return PLOVER_LABELS.get(code, "")
