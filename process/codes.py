"""DfE code lists for the statutory process in England.

Credit: the codes and their wording come from the Department for Education's Children in Need
(CIN) census guidance (referral source, primary need, assessment factors, category of abuse,
reason for closure) and the SSDA903 children looked after return guidance (legal status,
placement type, reason an episode ceased), as checked against the data-to-insight and Social
Finance reconstructions of the specifications for 2025-26.
"""

from django.db import models


class ReferralSource(models.TextChoices):
    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours)"
    INDIVIDUAL_SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other"
    SCHOOLS = "2A", "Schools"
    EDUCATION_OTHER = "2B", "Education services"
    HEALTH_GP = "3A", "Health: GP"
    HEALTH_VISITOR = "3B", "Health: health visitor"
    HEALTH_SCHOOL_NURSE = "3C", "Health: school nurse"
    HEALTH_MENTAL = "3D", "Health: mental health services"
    HEALTH_AE = "3E", "Health: A&E (emergency department)"
    HEALTH_OTHER = "3F", "Health: other primary or secondary health services"
    HOUSING = "4", "Housing (local authority or housing association)"
    LA_SOCIAL_CARE = "5A", "Local authority: social care (e.g. adult social care)"
    LA_OTHER_DEPARTMENT = "5B", "Local authority: other internal department"
    LA_EXTERNAL = "5C", "Local authority: external, e.g. from another local authority"
    LA_EARLY_HELP = "5D", "Local authority: early help"
    POLICE = "6", "Police"
    LEGAL_AGENCY = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    ABUSE_NEGLECT = "N1", "N1 Abuse, neglect and exploitation"
    DISABILITY = "N2", "N2 Child's disability or illness"
    PARENTAL_ILLNESS = "N3", "N3 Parental illness or disability"
    FAMILY_ACUTE_STRESS = "N4", "N4 Family in acute stress"
    FAMILY_DYSFUNCTION = "N5", "N5 Family dysfunction"
    SOCIALLY_UNACCEPTABLE = "N6", "N6 Socially unacceptable behaviour"
    LOW_INCOME = "N7", "N7 Low income"
    ABSENT_PARENTING = "N8", "N8 Absent parenting"
    NOT_IN_NEED = "N9", "N9 Cases other than children in need"
    NOT_STATED = "N0", "N0 Not stated"


class AssessmentFactor(models.TextChoices):
    ALCOHOL_CHILD = "1A", "Alcohol misuse: concerns about the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: concerns about the parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: concerns about another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: concerns about the child"
    DRUGS_PARENT = "2B", "Drug misuse: concerns about the parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: concerns about another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: concerns about the child"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: concerns about the parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: concerns about another person in the household"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: concerns about the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: concerns about the parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: concerns about another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: concerns about the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: concerns about the parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "Learning disability: concerns about another person"
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: concerns about the child"
    PHYSICAL_DISABILITY_PARENT = "6B", "Physical disability or illness: the parent or carer"
    PHYSICAL_DISABILITY_OTHER = "6C", "Physical disability or illness: another person"
    YOUNG_CARER = "7A", "Young carer"
    PRIVATE_FOSTERING_OVERSEAS = "8B", "Privately fostered: overseas, intending to return"
    PRIVATE_FOSTERING_OVERSEAS_STAY = "8C", "Privately fostered: overseas, intending to stay"
    PRIVATE_FOSTERING_UK_EDUCATION = "8D", "Privately fostered: UK, for education"
    PRIVATE_FOSTERING_UK_ARRANGEMENT = "8E", "Privately fostered: UK, family arrangement"
    PRIVATE_FOSTERING_OTHER = "8F", "Privately fostered: other"
    UASC = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    CSE = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    SOCIALLY_UNACCEPTABLE = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE_CHILD = "18B", "Physical abuse: child on child"
    PHYSICAL_ABUSE_ADULT = "18C", "Physical abuse: adult on child"
    SEXUAL_ABUSE_CHILD = "19B", "Sexual abuse: child on child"
    SEXUAL_ABUSE_ADULT = "19C", "Sexual abuse: adult on child"
    OTHER = "20", "Other"
    NO_FACTORS = "21", "No factors identified"
    FGM = "22A", "Female genital mutilation"
    FAITH_BELIEF = "23A", "Abuse linked to faith or belief"
    CRIMINAL_EXPLOITATION = "24A", "Child criminal exploitation"


class AbuseCategory(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"
    MULTIPLE = "MUL", "Multiple categories"


class ClosureReason(models.TextChoices):
    ADOPTED = "RC1", "RC1 Adopted"
    DIED = "RC2", "RC2 Died"
    CHILD_ARRANGEMENTS = "RC3", "RC3 Child arrangements order"
    SGO = "RC4", "RC4 Special guardianship order"
    TRANSFERRED = "RC5", "RC5 Transferred to another local authority"
    ADULT_SERVICES = "RC6", "RC6 Transferred to adult social care"
    OTHER = "RC7", "RC7 Case closed after the child in need episode ceased for another reason"
    NFA_AFTER_ASSESSMENT = "RC8", "RC8 Closed after assessment: no further action"
    EARLY_HELP_AFTER_ASSESSMENT = "RC9", "RC9 Closed after assessment: referred to early help"


class LegalStatus(models.TextChoices):
    INTERIM_CARE_ORDER = "C1", "C1 Interim care order"
    FULL_CARE_ORDER = "C2", "C2 Full care order"
    FREED_FOR_ADOPTION = "D1", "D1 Freeing order granted"
    PLACEMENT_ORDER = "E1", "E1 Placement order granted"
    SINGLE_PERIOD_ACCOMMODATED = "V2", "V2 Single period of accommodation under section 20"
    SHORT_BREAKS_AGREED = "V3", "V3 Accommodated under an agreed series of short-term breaks"
    SHORT_BREAKS_INDIVIDUAL = "V4", "V4 Accommodated under an agreed series of short breaks"
    POLICE_PROTECTION = "L1", "L1 Under police protection and in local authority accommodation"
    EPO = "L2", "L2 Emergency protection order"
    CHILD_ASSESSMENT_ORDER = "L3", "L3 Under a child assessment order and in accommodation"
    REMAND_PACE = "J1", "J1 Remanded to local authority accommodation or youth detention"
    PACE_DETAINED = "J2", "J2 Placed in local authority accommodation under PACE"
    SUPERVISION_ORDER = "J3", "J3 Sentenced to a youth rehabilitation order with residence"


class PlacementType(models.TextChoices):
    A3 = "A3", "A3 Placed for adoption with parental consent, with current foster carer"
    A4 = "A4", "A4 Placed for adoption with parental consent, not with current foster carer"
    A5 = "A5", "A5 Placed for adoption with placement order, with current foster carer"
    A6 = "A6", "A6 Placed for adoption with placement order, not with current foster carer"
    K1 = "K1", "K1 Secure children's home"
    K2 = "K2", "K2 Children's home"
    K3 = "K3", "K3 Residential holiday scheme (short breaks)"
    P1 = "P1", "P1 Placed with own parent(s) or person(s) with parental responsibility"
    P3 = "P3", "P3 Residential employment"
    R1 = "R1", "R1 Residential care home"
    R2 = "R2", "R2 NHS or health trust establishment"
    R3 = "R3", "R3 Family centre or mother and baby unit"
    R5 = "R5", "R5 Young offender institution or prison"
    S1 = "S1", "S1 Independent living (no support)"
    T0 = "T0", "T0 Temporary placement, all types"
    T1 = "T1", "T1 Temporary periods in hospital"
    T2 = "T2", "T2 Temporary absences of the child on holiday"
    T3 = "T3", "T3 Temporary accommodation while the normal carer is unavailable"
    T4 = "T4", "T4 Other temporary arrangements"
    U1 = "U1", "U1 Foster placement with a relative or friend: long term"
    U2 = "U2", "U2 Foster placement with a relative or friend who is a foster carer (FFA)"
    U3 = "U3", "U3 Foster placement with a relative or friend: not long term or FFA"
    U4 = "U4", "U4 Foster placement with another foster carer: long term"
    U5 = "U5", "U5 Foster placement with another foster carer (FFA)"
    U6 = "U6", "U6 Foster placement with another foster carer: not long term or FFA"
    Z1 = "Z1", "Z1 Other placements"
    Z11 = "Z11", "Z11 Supported accommodation: with support"
    Z12 = "Z12", "Z12 Supported accommodation: supported lodgings"
    Z13 = "Z13", "Z13 Supported accommodation: other"
    Z14 = "Z14", "Z14 Supported accommodation: shared"


class ReasonEpisodeCeased(models.TextChoices):
    X1 = "X1", "X1 Episode ceases, legal status or placement changes, child still looked after"
    E11 = "E11", "E11 Adopted: application unopposed"
    E12 = "E12", "E12 Adopted: consent dispensed with by the court"
    E13 = "E13", "E13 Left care to live with parent(s), relative or other person"
    E14 = "E14", "E14 Accommodation on remand ended"
    E15 = "E15", "E15 Age assessment: the child is 18 or over"
    E16 = "E16", "E16 Child moved abroad"
    E17 = "E17", "E17 Aged 18 and in an independent living arrangement"
    E2 = "E2", "E2 Died"
    E3 = "E3", "E3 Care taken over by another local authority in the UK"
    E4A = "E4A", "E4A Returned home to parents, as part of the care plan"
    E4B = "E4B", "E4B Returned home to parents, not part of the care plan"
    E41 = "E41", "E41 Residence or child arrangements order granted"
    E45 = "E45", "E45 Special guardianship order made to former foster carers"
    E46 = "E46", "E46 Special guardianship order made to other carers"
    E47 = "E47", "E47 Special guardianship order made to a relative or friend (not foster carer)"
    E48 = "E48", "E48 Special guardianship order made to a relative who was the foster carer"
    E5 = "E5", "E5 Moved into independent living (supportive accommodation)"
    E6 = "E6", "E6 Moved into independent living with no formal support"
    E7 = "E7", "E7 Transferred to residential care funded by adult social care"
    E8 = "E8", "E8 Period of being looked after ceased for any other reason"
    E9 = "E9", "E9 Sentenced to custody"


# SSDA903 children looked after return, 2025-26. Credit: the DfE "Children looked after return
# 2025 to 2026: guide" code lists, as reconstructed in the Social Finance liia-tools SSDA903
# schema (base 2017 plus the yearly diffs to 2026) and checked by the data-to-insight
# csc-validator-be-903 ruleset lac2025_26 (shared/reference/statutory-data.md §2).


class ReasonNewEpisode(models.TextChoices):
    STARTED = "S", "S Started to be looked after"
    LEGAL_STATUS = "L", "L Change of legal status only"
    PLACEMENT_AND_CARER = "P", "P Change of placement and carer(s) only"
    PLACEMENT_SAME_CARER = "T", "T Change of placement (but same carer(s)) only"
    BOTH_SAME_CARER = "B", "B Change of legal status and placement (same carer(s)) together"
    BOTH = "U", "U Change of legal status and of placement and carer(s) together"


class CategoryOfNeed(models.TextChoices):
    N1 = "N1", "N1 Abuse or neglect"
    N2 = "N2", "N2 Child's disability"
    N3 = "N3", "N3 Parental illness or disability"
    N4 = "N4", "N4 Family in acute stress"
    N5 = "N5", "N5 Family dysfunction"
    N6 = "N6", "N6 Socially unacceptable behaviour"
    N7 = "N7", "N7 Low income"
    N8 = "N8", "N8 Absent parenting"


class PlacementProvider(models.TextChoices):
    PR0 = "PR0", "PR0 Parent(s) or other person(s) with parental responsibility"
    PR1 = "PR1", "PR1 Own provision (by the local authority)"
    PR2 = "PR2", "PR2 Other local authority provision"
    PR3 = "PR3", "PR3 Other public provision (e.g. by a primary care trust)"
    PR4 = "PR4", "PR4 Private provision"
    PR5 = "PR5", "PR5 Voluntary or third sector provision"


class PlacementChangeReason(models.TextChoices):
    CARPL = "CARPL", "CARPL Change to or implementation of the care plan"
    CLOSE = "CLOSE", "CLOSE Resignation or closure of the provider"
    ALLEG = "ALLEG", "ALLEG Allegation (section 47) against the carer"
    STAND = "STAND", "STAND Standards of care concern"
    APPRR = "APPRR", "APPRR Approval of the carer removed"
    CREQB = "CREQB", "CREQB Carer requests removal: child's behaviour"
    CREQO = "CREQO", "CREQO Carer requests removal: other reason"
    CHILD = "CHILD", "CHILD Child requests the move"
    LAREQ = "LAREQ", "LAREQ Parent or other person with parental responsibility requests it"
    PLACE = "PLACE", "PLACE Change in the status of the placement only"
    CUSTOD = "CUSTOD", "CUSTOD Custody arrangement"
    OTHER = "OTHER", "OTHER Other"


class ReviewParticipation(models.TextChoices):
    PN0 = "PN0", "PN0 Child aged under 4 at the time of the review"
    PN1 = "PN1", "PN1 Attended and spoke for themselves"
    PN2 = "PN2", "PN2 Attended; an advocate spoke for them"
    PN3 = "PN3", "PN3 Attended; conveyed views by a facilitative medium"
    PN4 = "PN4", "PN4 Attended without contributing"
    PN5 = "PN5", "PN5 Did not attend; an advocate briefed on their views"
    PN6 = "PN6", "PN6 Did not attend; views conveyed by another method"
    PN7 = "PN7", "PN7 Did not attend and views not conveyed"


class MissingKind(models.TextChoices):
    MISSING = "M", "Missing"
    AWAY = "A", "Away from placement without authorisation"


class PreviousPermanence(models.TextChoices):
    P1 = "P1", "P1 Adoption"
    P2 = "P2", "P2 Special guardianship order"
    P3 = "P3", "P3 Residence order or child arrangements order (to live with)"
    P4 = "P4", "P4 Previous permanence option not known"
    Z1 = "Z1", "Z1 Not adopted, no SGO and no residence or child arrangements order"


class NoLongerPlacedReason(models.TextChoices):
    RD1 = "RD1", "RD1 The child's needs changed"
    RD2 = "RD2", "RD2 The court did not make a placement order"
    RD3 = "RD3", "RD3 Prospective adopters could not be found"
    RD4 = "RD4", "RD4 Any other reason"


class AdoptersSex(models.TextChoices):
    M1 = "M1", "M1 Single male adopter"
    F1 = "F1", "F1 Single female adopter"
    MM = "MM", "MM Couple, both male"
    FF = "FF", "FF Couple, both female"
    MF = "MF", "MF Couple, male and female"


class AdoptersLegalStatus(models.TextChoices):
    L0 = "L0", "L0 Child adopted by a single person"
    L11 = "L11", "L11 Couple, civil partners (different sex)"
    L12 = "L12", "L12 Couple, civil partners (same sex)"
    L2 = "L2", "L2 Couple, one the child's parent, the other their partner"
    L3 = "L3", "L3 Couple, married (different sex)"
    L4 = "L4", "L4 Couple, married (same sex)"


class SdqReason(models.TextChoices):
    SDQ1 = "SDQ1", "SDQ1 No form returned: the child was aged under 4 or over 17"
    SDQ2 = "SDQ2", "SDQ2 Carer refused to complete and return the questionnaire"
    SDQ3 = "SDQ3", "SDQ3 Not possible: severity of the child's disability"
    SDQ4 = "SDQ4", "SDQ4 Other"
    SDQ5 = "SDQ5", "SDQ5 Child or young person refuses to allow an SDQ to be completed"


class CareLeaverInTouch(models.TextChoices):
    YES = "YES", "YES In touch"
    NO = "NO", "NO Not in touch"
    DIED = "DIED", "DIED Young person died"
    REFU = "REFU", "REFU Young person refuses contact"
    NREQ = "NREQ", "NREQ Young person no longer requires services"
    RHOM = "RHOM", "RHOM Returned home to parents for six months or more"


class CareLeaverActivity(models.TextChoices):
    F1 = "F1", "F1 Full-time in higher education"
    P1 = "P1", "P1 Part-time in higher education"
    F2 = "F2", "F2 Full-time in education other than higher"
    P2 = "P2", "P2 Part-time in education other than higher"
    F4 = "F4", "F4 Full-time in employment"
    P4 = "P4", "P4 Part-time in employment"
    F5 = "F5", "F5 Full-time in training or an apprenticeship"
    P5 = "P5", "P5 Part-time in training or an apprenticeship"
    G4 = "G4", "G4 Not in education, employment or training: illness or disability"
    G5 = "G5", "G5 Not in education, employment or training: other reasons"
    G6 = "G6", "G6 Not in education, employment or training: pregnancy or parenting"
    NONE = "0", "0 Not known (not in touch)"


# Accommodation after leaving care: a letter for the kind, then 1 (suitable) or 2 (not).
_ACCOMMODATION_KINDS = {
    "B": "With parents or relatives",
    "C": "Community home or other residential care",
    "D": "Semi-independent, transitional accommodation",
    "E": "Supported lodgings",
    "G": "Gone abroad",
    "H": "Deported",
    "K": "Ordinary lodgings, without formal support",
    "R": "Residence not known",
    "S": "No fixed abode or homeless",
    "T": "Foyers",
    "U": "Independent living",
    "V": "Emergency accommodation",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other accommodation",
    "Z": "With former foster carers",
}
CARE_LEAVER_ACCOMMODATION = [
    (f"{letter}{n}", f"{letter}{n} {kind}: {'suitable' if n == 1 else 'not suitable'}")
    for letter, kind in _ACCOMMODATION_KINDS.items()
    for n in (1, 2)
] + [("0", "0 Not known (not in touch)")]


class SocialWorkerChangeReason(models.TextChoices):
    FCONTA = "FCONTA", "FCONTA First contact"
    MANAGE = "MANAGE", "MANAGE Management decision"
    LEFTRL = "LEFTRL", "LEFTRL Social worker left the role"
    ORGRST = "ORGRST", "ORGRST Organisational restructure"
    TSPROC = "TSPROC", "TSPROC Transfer to another team as part of the process"
    ABSENC = "ABSENC", "ABSENC Social worker absent"
    CHCHAN = "CHCHAN", "CHCHAN Child requested the change"
    PCCHAN = "PCCHAN", "PCCHAN Parent or carer requested the change"
    SWDIED = "SWDIED", "SWDIED Social worker died"
    OTHERS = "OTHERS", "OTHERS Other"
