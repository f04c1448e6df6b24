//! The document kinds that are forms of typed fields: contact or intake,
//! application, service-need assessment, client plan, activation plan,
//! decision, statement, agreement, and information received from others.
//!
//! Each kind is a [`Spec`]: its fields with their types, which are needed
//! for a draft and which for completion, their names in Finnish, Swedish
//! and English, and where each goes in the kind's national structure
//! (Sosmeta). A field with no national place is Kirjo's own: it is kept and
//! shown, and exported beside the national document, never instead of it.
//! Stored content is checked against the spec when it is read back, so a
//! document is never a text blob with a type tag.

use crate::contact::Lang;
use crate::field::{pick, MAX_TEXT};
pub use crate::field::{say, Names, BAD_DATE, CHOOSE, FUTURE_DATE, REQUIRED};
use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// An option of a choice, with its code in the national code list where
/// the choice has one.
#[derive(Debug)]
pub struct Opt {
    pub value: &'static str,
    pub code: &'static str,
    pub names: Names,
}

impl PartialEq for Opt {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value && self.code == other.code
    }
}
impl Eq for Opt {}

impl PartialEq for Spec {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}
impl Eq for Spec {}

impl Opt {
    pub fn name(&self, lang: Lang) -> &'static str {
        pick(&self.names, lang)
    }
}

/// A choice's options and the national code list (OID) they come from, if
/// any.
#[derive(Debug)]
pub struct Choices {
    pub system: Option<&'static str>,
    pub options: &'static [Opt],
}

/// The type of a field.
#[derive(Debug)]
pub enum Type {
    /// One line, at most 500 characters.
    Text,
    /// Free text, at most 20,000 characters.
    LongText,
    /// An ISO date. `future` allows dates after today (a review, an end).
    Date {
        future: bool,
    },
    Bool,
    /// A whole number in a range.
    Number {
        min: i64,
        max: i64,
    },
    Choice(&'static Choices),
    /// A person's name kept whole; exported as first names and surname.
    Name,
    /// A staff user, by id: a decision's decision maker, chosen from the
    /// users qualified in the document's service area (the store checks
    /// who). Exported by the staff table's first names and surname.
    StaffUser,
}

/// When a field must be filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Optional,
    /// Always, a draft too.
    Always,
    /// Before the document is completed.
    ToComplete,
}

#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub ty: Type,
    pub need: Need,
    pub names: Names,
    /// A date that must not be before this other date field.
    pub not_before: Option<&'static str>,
    /// Where the value goes in the national structure, under its root
    /// element: `a/b` nests objects, `a[]/b` puts `b` in the one element of
    /// array `a`. None: Kirjo's own field.
    pub national: Option<&'static str>,
}

impl Field {
    pub fn name(&self, lang: Lang) -> &'static str {
        pick(&self.names, lang)
    }
}

/// How the national structure holds the client, the author and the
/// signature, which Kirjo fills in from the document's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Absent,
    Object,
    Array,
}

/// A kind of form document and its national definition.
#[derive(Debug)]
pub struct Spec {
    /// Kirjo's name of the kind, as stored and in the API.
    pub kind: &'static str,
    pub names: Names,
    /// The national definition (Sosmeta, code list 1.2.246.537.6.1506) with
    /// its version.
    pub definition_oid: &'static str,
    /// The root element of the national structure.
    pub root: &'static str,
    pub client: Shape,
    /// Whether the national structure requires the client's identity code.
    pub needs_identity_code: bool,
    pub author: Shape,
    /// Where the service task goes, and whether as an array.
    pub task: Option<(&'static str, Shape)>,
    pub signature: Shape,
    /// Whether the structure names who gives more information
    /// (`lisatietojen_antaja`), with the organiser's address.
    pub information_from: bool,
    /// Whether the document is served to parties (a decision).
    pub parties: bool,
    pub fields: &'static [Field],
}

impl Spec {
    pub fn name(&self, lang: Lang) -> &'static str {
        pick(&self.names, lang)
    }

    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// Every form kind.
pub fn specs() -> &'static [Spec] {
    SPECS
}

pub fn spec(kind: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.kind == kind)
}

const fn f(key: &'static str, ty: Type, need: Need, names: Names) -> Field {
    Field {
        key,
        ty,
        need,
        names,
        not_before: None,
        national: None,
    }
}

const fn n(mut field: Field, path: &'static str) -> Field {
    field.national = Some(path);
    field
}

const fn after(mut field: Field, other: &'static str) -> Field {
    field.not_before = Some(other);
    field
}

use Need::{Always, Optional, ToComplete};

const PAST: Type = Type::Date { future: false };
const ANY_DATE: Type = Type::Date { future: true };

static CONTACT_BY: Choices = Choices {
    system: None,
    options: &[
        Opt {
            value: "client",
            code: "",
            names: ["Asiakas itse", "Klienten själv", "The client"],
        },
        Opt {
            value: "relative",
            code: "",
            names: [
                "Omainen tai läheinen",
                "Anhörig eller närstående",
                "A relative or someone close",
            ],
        },
        Opt {
            value: "professional",
            code: "",
            names: [
                "Viranomainen tai ammattilainen",
                "Myndighet eller yrkesperson",
                "An authority or professional",
            ],
        },
        Opt {
            value: "other",
            code: "",
            names: ["Muu", "Annan", "Someone else"],
        },
    ],
};

static CHANNEL: Choices = Choices {
    system: None,
    options: &[
        Opt {
            value: "phone",
            code: "",
            names: ["Puhelin", "Telefon", "Phone"],
        },
        Opt {
            value: "letter",
            code: "",
            names: ["Kirje", "Brev", "Letter"],
        },
        Opt {
            value: "electronic",
            code: "",
            names: ["Sähköinen", "Elektronisk", "Electronic"],
        },
        Opt {
            value: "in_person",
            code: "",
            names: ["Käynti", "Besök", "In person"],
        },
    ],
};

/// Sosiaalihuolto - Ratkaisun laji (1.2.246.537.6.1248).
pub static OUTCOME: Choices = Choices {
    system: Some("1.2.246.537.6.1248"),
    options: &[
        Opt {
            value: "positive",
            code: "1",
            names: ["Myönteinen ratkaisu", "Positivt avgörande", "Granted"],
        },
        Opt {
            value: "negative",
            code: "2",
            names: ["Kielteinen ratkaisu", "Negativt avgörande", "Refused"],
        },
        Opt {
            value: "partly_positive",
            code: "3",
            names: [
                "Osittain myönteinen ratkaisu",
                "Delvis positivt avgörande",
                "Partly granted",
            ],
        },
    ],
};

/// Sosiaalihuolto - Sosiaalipalvelut (1.2.246.537.6.1222): the codes that
/// THL's own definitions give as examples; the full list is in THL's code
/// server.
pub static SOCIAL_SERVICE: Choices = Choices {
    system: Some("1.2.246.537.6.1222"),
    options: &[
        Opt {
            value: "social_work",
            code: "46",
            names: ["Sosiaalityö", "Socialt arbete", "Social work"],
        },
        Opt {
            value: "support_person_or_family",
            code: "51",
            names: [
                "Tukisuhdetoiminta",
                "Stödpersons- och stödfamiljsverksamhet",
                "Support person or family",
            ],
        },
    ],
};

/// Sosiaalihuolto - Muutoksenhakukeino (1.2.246.537.6.1211).
pub static APPEAL: Choices = Choices {
    system: Some("1.2.246.537.6.1211"),
    options: &[
        Opt {
            value: "rectification",
            code: "1",
            names: [
                "Oikaisuvaatimus",
                "Begäran om omprövning",
                "Request for rectification",
            ],
        },
        Opt {
            value: "appeal",
            code: "2",
            names: ["Valitus", "Besvär", "Appeal"],
        },
    ],
};

/// How a decision was served to a party (tiedoksianto, Administrative
/// Procedure Act 434/2003 §59-62).
pub static SERVICE_METHOD: Choices = Choices {
    system: None,
    options: &[
        Opt {
            value: "handed",
            code: "",
            names: [
                "Annettu henkilökohtaisesti",
                "Överlämnat personligen",
                "Handed over in person",
            ],
        },
        Opt {
            value: "letter",
            code: "",
            names: ["Tavallinen kirje", "Vanligt brev", "Ordinary letter"],
        },
        Opt {
            value: "letter_with_receipt",
            code: "",
            names: [
                "Saantitodistuksella",
                "Med mottagningsbevis",
                "With acknowledgement of receipt",
            ],
        },
        Opt {
            value: "electronic",
            code: "",
            names: [
                "Sähköinen tiedoksianto",
                "Elektronisk delgivning",
                "Electronic service",
            ],
        },
    ],
};

static BASIS: Choices = Choices {
    system: None,
    options: &[
        Opt {
            value: "law",
            code: "",
            names: [
                "Lakiin perustuva oikeus",
                "Rätt enligt lag",
                "A right in law",
            ],
        },
        Opt {
            value: "consent",
            code: "",
            names: [
                "Asiakkaan suostumus",
                "Klientens samtycke",
                "The client's consent",
            ],
        },
    ],
};

const DATE_RECEIVED: Names = ["Saapumispäivä", "Ankomstdag", "Date received"];
const NOTES: Names = ["Lisätiedot", "Tilläggsuppgifter", "Further information"];

static SPECS: &[Spec] = &[
    Spec {
        kind: "intake",
        names: ["Merkintä asian vireilletulosta", "Anteckning om att ärendet inletts", "Contact or intake"],
        definition_oid: "1.2.246.537.6.1506.19001.2023.10.30",
        root: "merkinta_asian_vireilletulosta",
        client: Shape::Array,
        needs_identity_code: false,
        author: Shape::Object,
        task: Some(("palvelutehtava", Shape::Array)),
        signature: Shape::Absent,
        information_from: false,
        parties: false,
        fields: &[
            n(f("date", PAST, Always, ["Vireilletulopäivä", "Dag då ärendet inleddes", "Date the matter began"]), "vireilletulopaiva"),
            f("contact_by", Type::Choice(&CONTACT_BY), Always, ["Yhteydenottaja", "Kontakttagare", "Who made contact"]),
            f("contact_name", Type::Text, Optional, ["Yhteydenottajan nimi ja yhteystiedot", "Kontakttagarens namn och kontaktuppgifter", "Their name and contact details"]),
            f("channel", Type::Choice(&CHANNEL), Always, ["Yhteydenoton tapa", "Sätt att ta kontakt", "How contact was made"]),
            n(f("description", Type::LongText, Always, ["Kuvaus asian vireilletulosta", "Beskrivning av hur ärendet inleddes", "What the contact is about"]), "kuvaus_asian_vireilletulosta"),
            n(f("urgency_grounds", Type::LongText, Optional, ["Kiireellisyyden peruste", "Grund för brådskande behandling", "Grounds of urgency"]), "kiireellisyyden_peruste"),
            n(f("actions", Type::LongText, Optional, ["Toimenpiteet", "Åtgärder", "Actions"]), "toimenpiteet"),
        ],
    },
    Spec {
        kind: "application",
        names: ["Lapsiperheiden palvelujen hakemus", "Ansökan om tjänster för barnfamiljer", "Application"],
        definition_oid: "1.2.246.537.6.1506.3006.2023.9.8",
        root: "lapsiperheiden_palvelujen_hakemus",
        client: Shape::Array,
        needs_identity_code: true,
        author: Shape::Absent,
        task: None,
        signature: Shape::Absent,
        information_from: false,
        parties: false,
        fields: &[
            n(f("date", PAST, Always, DATE_RECEIVED), "paivamaara"),
            n(f("service", Type::Text, Always, ["Haettava palvelu", "Tjänst som söks", "Service applied for"]), "hakemus/haettava_palvelu[]/kuvaus"),
            n(f("period_from", ANY_DATE, Optional, ["Palvelua haetaan alkaen", "Tjänsten söks från", "From"]), "hakemus/haettava_palvelu[]/palvelun_ajanjakso/alkamispaiva"),
            n(after(f("period_until", ANY_DATE, Optional, ["Palvelua haetaan asti", "Tjänsten söks till", "Until"]), "period_from"), "hakemus/haettava_palvelu[]/palvelun_ajanjakso/paattymispaiva"),
            n(f("reasons", Type::LongText, Always, ["Hakemuksen perustelut", "Motivering", "Why the service is applied for"]), "hakemus/perustelu"),
            n(f("electronic_service", Type::Bool, Optional, ["Hakija hyväksyy päätösten sähköisen tiedoksiannon", "Sökanden godkänner elektronisk delgivning", "The applicant accepts electronic service of decisions"]), "hyvaksyn_asiakirjojen_sahkoisen_tiedoksiannon"),
            n(f("notes", Type::LongText, Optional, NOTES), "lisatiedot"),
        ],
    },
    Spec {
        kind: "service_need_assessment",
        names: ["Sosiaalihuollon palvelutarpeen arvio", "Bedömning av servicebehovet inom socialvården", "Service-need assessment"],
        definition_oid: "1.2.246.537.6.1506.1019.2023.9.28",
        root: "sosiaalihuollon_palvelutarpeen_arvio",
        client: Shape::Array,
        needs_identity_code: true,
        author: Shape::Array,
        task: Some(("palvelutehtava", Shape::Object)),
        signature: Shape::Absent,
        information_from: false,
        parties: false,
        fields: &[
            n(f("matter_started_on", PAST, Always, ["Asian vireilletulopäivä", "Dag då ärendet inleddes", "Date the matter began"]), "asian_vireilletuloa_koskevat_tiedot/vireilletulopaiva"),
            n(after(f("started_on", PAST, Always, ["Arvioinnin aloituspäivä", "Bedömningen inleddes", "Assessment started"]), "matter_started_on"), "palvelutarpeen_arviointia_koskevat_tiedot/palvelutarpeen_arvioinnin_aloittamispaiva"),
            n(after(f("date", PAST, ToComplete, ["Arvioinnin valmistumispäivä", "Bedömningen blev klar", "Assessment completed"]), "started_on"), "paivamaara"),
            n(f("situation", Type::LongText, Always, ["Kuvaus asiakkaan tilanteesta", "Beskrivning av klientens situation", "The client's situation"]), "kuvaus_asiakkaan_tilanteesta"),
            n(f("strengths", Type::LongText, Optional, ["Vahvuudet ja voimavarat", "Styrkor och resurser", "Strengths and resources"]), "vahvuudet_ja_voimavarat"),
            n(f("client_view", Type::LongText, Optional, ["Asiakkaan arvio tuen tarpeestaan", "Klientens bedömning av sitt stödbehov", "The client's own view of their needs"]), "johtopaatokset_ja_jatkotoimet/asiakkaan_arvio_tuen_ja_palvelujen_tarpeestaan"),
            n(f("findings", Type::LongText, ToComplete, ["Ammattihenkilön johtopäätökset", "Yrkespersonens slutsatser", "Findings"]), "johtopaatokset_ja_jatkotoimet/ammattihenkilon_johtopaatokset"),
            n(f("services_needed", Type::LongText, ToComplete, ["Tarvittavat palvelut ja jatkosuunnitelma", "Tjänster som behövs och fortsatt plan", "Services needed and what follows"]), "johtopaatokset_ja_jatkotoimet/jatkosuunnitelma"),
            n(f("special_support", Type::Bool, Optional, ["Asiakas tarvitsee erityistä tukea", "Klienten behöver särskilt stöd", "The client needs special support"]), "palvelutarpeen_arviointia_koskevat_tiedot/asiakkaalla_on_oikeus_erityiseen_tukeen"),
            n(f("client_continues", Type::Bool, Optional, ["Asiakkuus jatkuu arvioinnin jälkeen", "Klientrelationen fortsätter", "The client relationship continues"]), "johtopaatokset_ja_jatkotoimet/asiakkuus_jatkuu_palvelutarpeen_arvioinnin_jalkeen"),
            n(f("needs_own_worker", Type::Bool, Optional, ["Asiakas tarvitsee omatyöntekijän", "Klienten behöver en egen kontaktperson", "The client needs a named worker"]), "johtopaatokset_ja_jatkotoimet/asiakas_tarvitsee_omatyontekijan"),
            n(f("plan_made", Type::Bool, Optional, ["Asiakkaalle laaditaan asiakassuunnitelma", "En klientplan utarbetas", "A client plan is made"]), "johtopaatokset_ja_jatkotoimet/asiakkaalle_laaditaan_asiakassuunnitelma"),
        ],
    },
    Spec {
        kind: "client_plan",
        names: ["Lastensuojelun asiakassuunnitelma", "Klientplan inom barnskyddet", "Client plan (child welfare)"],
        definition_oid: "1.2.246.537.6.1506.15009.2024.11.28",
        root: "lastensuojelun_asiakassuunnitelma",
        client: Shape::Array,
        needs_identity_code: true,
        author: Shape::Array,
        task: None,
        signature: Shape::Absent,
        information_from: false,
        parties: false,
        fields: &[
            n(f("date", PAST, Always, ["Suunnitelman päivämäärä", "Planens datum", "Date of the plan"]), "paivamaara"),
            n(f("participants", Type::LongText, Optional, ["Neuvotteluun osallistuneet", "Deltagare i överläggningen", "Who took part"]), "tiedot_neuvottelusta_jossa_tama_suunnitelma_on_tehty[]/osallistujat"),
            n(f("situation", Type::LongText, Always, ["Asiat ja olosuhteet, joihin pyritään vaikuttamaan", "Saker och förhållanden som man försöker påverka", "What the plan aims to change"]), "tausta_ja_nykytilanne/asiat_ja_olosuhteet_joihin_pyritaan_vaikuttamaan"),
            n(f("strengths", Type::LongText, Optional, ["Lapsen ja perheen vahvuudet ja voimavarat", "Barnets och familjens styrkor och resurser", "Strengths of the child and family"]), "tausta_ja_nykytilanne/lapsen_ja_perheen_vahvuudet_ja_voimavarat"),
            n(f("goals", Type::LongText, Always, ["Tavoitteet", "Mål", "Goals"]), "asetettavat_tavoitteet[]/kuvaus"),
            n(f("services", Type::LongText, Always, ["Palvelut, tukitoimet ja keinot", "Tjänster, stödåtgärder och medel", "Services, support and means"]), "keinot_tavoitteiden_saavuttamiseksi_ja_tuen_tarpeeseen_vastaamiseksi/muut_palvelut_tukitoimet_ja_keinot"),
            n(f("differing_views", Type::LongText, Optional, ["Eriävät näkemykset", "Avvikande åsikter", "Differing views"]), "eriavat_nakemykset"),
            n(f("rights_explained", Type::Bool, Optional, ["Asiakkaalle on selvitetty hänen oikeutensa", "Klienten har informerats om sina rättigheter", "The client was told their rights"]), "sosiaalihuollon_asiakkaan_asemasta_ja_oikeuksista_annetun_lain_mukaisen_selvityksen_antaminen/selvitys_oikeuksista"),
            n(f("review", Type::Text, Optional, ["Suunnitelma tarkistetaan", "Planen ses över", "When the plan is reviewed"]), "asiakassuunnitelman_tarkistaminen/ajankohta"),
        ],
    },
    Spec {
        kind: "activation_plan",
        names: ["Aktivointisuunnitelma", "Aktiveringsplan", "Activation plan"],
        definition_oid: "1.2.246.537.6.1506.15001.2023.8.1",
        root: "aktivointisuunnitelma",
        client: Shape::Object,
        needs_identity_code: true,
        author: Shape::Array,
        task: None,
        signature: Shape::Array,
        information_from: false,
        parties: false,
        fields: &[
            n(f("date", PAST, Always, ["Suunnitelman päivämäärä", "Planens datum", "Date of the plan"]), "paivamaara"),
            n(f("participants", Type::LongText, Always, ["Neuvotteluun osallistuneet", "Deltagare i överläggningen", "Who took part"]), "tiedot_neuvottelusta_jossa_tama_suunnitelma_on_tehty[]/osallistujat"),
            n(f("situation", Type::LongText, Optional, ["Kuvaus asiakkaan tilanteesta", "Beskrivning av klientens situation", "The client's situation"]), "kuvaus_asiakkaan_tilanteesta"),
            n(f("goals", Type::LongText, Always, ["Aktivoinnin tavoitteet", "Målen för aktiveringen", "Goals"]), "aktivoinnin_tavoitteet/asetettavat_tavoitteet[]/kuvaus"),
            n(f("measures", Type::LongText, Always, ["Toimenpiteet", "Åtgärder", "Measures"]), "toimenpiteet"),
            n(f("client_tasks", Type::LongText, Optional, ["Asiakkaan tehtävät", "Klientens uppgifter", "The client's tasks"]), "asiakkaan_tehtavat"),
            n(f("social_work_tasks", Type::LongText, Optional, ["Sosiaalihuollon tehtävät", "Socialvårdens uppgifter", "Social services' tasks"]), "sosiaalihuollon_tehtavat"),
            n(f("employment_office_tasks", Type::LongText, Optional, ["Työvoimaviranomaisen tehtävät", "Arbetskraftsmyndighetens uppgifter", "The employment authority's tasks"]), "te_toimiston_tehtavat"),
            n(f("work_activity", Type::LongText, Optional, ["Kuntouttavan työtoiminnan sisältö", "Innehållet i arbetsverksamheten i rehabiliteringssyfte", "Rehabilitative work activity"]), "kuntouttava_tyotoiminta/kuntouttavan_tyotoiminnan_sisalto"),
            // Act on Rehabilitative Work Activity (189/2001) §13: one to five
            // days a week, four to eight hours a day.
            n(f("days_per_week", Type::Number { min: 1, max: 5 }, Optional, ["Päiviä viikossa", "Dagar i veckan", "Days a week"]), "kuntouttava_tyotoiminta/toiminnan_viikoittainen_kesto_paivina"),
            n(f("hours_per_day", Type::Number { min: 4, max: 8 }, Optional, ["Tunteja päivässä", "Timmar om dagen", "Hours a day"]), "kuntouttava_tyotoiminta/toiminnan_paivittainen_kesto_tunteina"),
            n(f("review", Type::Text, Optional, ["Suunnitelma tarkistetaan", "Planen ses över", "When the plan is reviewed"]), "aktivointisuunnitelman_tarkistaminen/ajankohta"),
        ],
    },
    Spec {
        kind: "decision",
        names: ["Lastensuojelun palvelu- tai tukitoimipäätös", "Beslut om tjänst eller stödåtgärd inom barnskyddet", "Decision"],
        definition_oid: "1.2.246.537.6.1506.11002.2023.9.8",
        root: "lastensuojelun_palvelu__tai_tukitoimipaatos",
        client: Shape::Array,
        needs_identity_code: true,
        author: Shape::Absent,
        task: None,
        signature: Shape::Object,
        information_from: true,
        parties: true,
        fields: &[
            n(f("date", PAST, Always, ["Päätöspäivä", "Beslutsdatum", "Date of decision"]), "paatos/paatospaivamaara"),
            n(f("matter_started_on", PAST, Optional, ["Asian vireilletulopäivä", "Dag då ärendet inleddes", "Date the matter began"]), "paatos/vireilletulopaivamaara"),
            n(f("outcome", Type::Choice(&OUTCOME), Always, ["Ratkaisun laji", "Typ av avgörande", "Outcome"]), "paatos/ratkaisun_laji"),
            n(f("service", Type::Choice(&SOCIAL_SERVICE), Always, ["Sosiaalipalvelu, jota päätös koskee", "Socialservice som beslutet gäller", "Service decided on"]), "paatos/sosiaalipalvelu_jota_paatos_koskee/sosiaalipalvelu"),
            n(f("service_description", Type::Text, Optional, ["Palvelun kuvaus", "Beskrivning av tjänsten", "Description of the service"]), "paatos/sosiaalipalvelu_jota_paatos_koskee/kuvaus"),
            n(f("decision_text", Type::LongText, Always, ["Ratkaisu ja perustelut", "Avgörande och motivering", "What was decided, and why"]), "paatos/ratkaisu_ja_perustelut"),
            n(f("legal_basis", Type::Text, Always, ["Ratkaisun lakiperuste", "Lagrum", "Legal basis"]), "paatos/ratkaisun_lakiperuste"),
            n(f("valid_from", ANY_DATE, Optional, ["Voimassa alkaen", "Gäller från", "In force from"]), "paatos/paatoksen_voimassaolo/alkamispaiva"),
            n(after(f("valid_until", ANY_DATE, Optional, ["Voimassa asti", "Gäller till", "In force until"]), "valid_from"), "paatos/paatoksen_voimassaolo/paattymispaiva"),
            // The staff user who decides (docs/decisions.md): the national
            // `paatos/paatoksentekija` is filled from the staff table when
            // the decision is exported.
            f("decision_maker", Type::StaffUser, Always, ["Päätöksentekijä", "Beslutsfattare", "Decision-maker"]),
            n(f("decision_maker_title", Type::Text, Optional, ["Päätöksentekijän virkanimike", "Beslutsfattarens tjänstebeteckning", "Decision-maker's title"]), "paatos/paatoksentekija/tehtavanimike"),
            // Filled from the appeal template of the legal basis when the
            // decision is decided (kirjo_domain::decision).
            n(f("appeal_means", Type::Choice(&APPEAL), Optional, ["Muutoksenhakukeino", "Rättsmedel", "How to seek a change"]), "paatos/muutoksenhaku/muutoksenhakukeino"),
            n(f("appeal_instructions", Type::LongText, Optional, ["Muutoksenhakuohje", "Anvisning om sökande av ändring", "Appeal instructions"]), "paatos/muutoksenhaku/ohjeteksti"),
            n(f("appeal_period", Type::Text, Optional, ["Muutoksenhaun määräaika", "Tidsfrist för ändringssökande", "Time limit for seeking a change"]), "paatos/muutoksenhaku/maaraaika"),
            n(f("information_phone", Type::Text, ToComplete, ["Lisätietojen antajan puhelinnumero", "Telefonnummer för tilläggsuppgifter", "Phone number for more information"]), "paatos/lisatietojen_antaja[]/yhteystiedot/puhelinnumero"),
        ],
    },
    Spec {
        kind: "statement",
        names: ["Sosiaalihuollon lausunto", "Utlåtande inom socialvården", "Statement"],
        definition_oid: "1.2.246.537.6.1506.7009.2023.5.31",
        root: "sosiaalihuollon_lausunto",
        client: Shape::Array,
        needs_identity_code: true,
        author: Shape::Array,
        task: Some(("palvelutehtava", Shape::Object)),
        signature: Shape::Object,
        information_from: false,
        parties: false,
        fields: &[
            n(f("date", PAST, Always, ["Lausunnon päivämäärä", "Utlåtandets datum", "Date of the statement"]), "paivamaara"),
            n(f("recipient", Type::Text, Always, ["Vastaanottaja", "Mottagare", "Recipient"]), "vastaanottaja/organisaation_nimi"),
            n(f("purpose", Type::Text, Optional, ["Lausunnon tarkoitus", "Utlåtandets syfte", "Purpose"]), "lausunto/lausunnon_tarkoitus"),
            n(f("grounds", Type::Text, Optional, ["Peruste lausunnon antamiselle", "Grund för utlåtandet", "Grounds for giving it"]), "lausunto/perustelu_lausunnon_antamiselle"),
            n(f("methods", Type::LongText, Optional, ["Menetelmät", "Metoder", "Methods"]), "lausunto/menetelmat"),
            n(f("content", Type::LongText, Always, ["Lausunto", "Utlåtande", "Statement"]), "lausunto/asiasisalto"),
        ],
    },
    Spec {
        kind: "agreement",
        names: ["Sopimus yksityisesti järjestettävästä sosiaalipalvelusta", "Avtal om privat ordnad socialservice", "Agreement"],
        definition_oid: "1.2.246.537.6.1506.13007.2023.9.8",
        root: "sopimus_yksityisesti_jarjestettavasta_sosiaalipalvelusta",
        client: Shape::Array,
        needs_identity_code: true,
        author: Shape::Object,
        task: None,
        signature: Shape::Array,
        information_from: false,
        parties: false,
        fields: &[
            n(f("date", PAST, Always, ["Sopimuspäivä", "Avtalsdatum", "Date of the agreement"]), "paivamaara"),
            f("other_parties", Type::Text, Always, ["Muut sopijaosapuolet", "Övriga avtalsparter", "Other parties"]),
            n(f("content", Type::LongText, Always, ["Mistä sovitaan", "Vad som avtalas", "What is agreed"]), "sopimus/asiasisalto"),
            n(f("terms", Type::LongText, Optional, ["Ehdot", "Villkor", "Terms"]), "sopimus/ehdot"),
            n(f("valid_from", ANY_DATE, Optional, ["Voimassa alkaen", "Gäller från", "In force from"]), "sopimus/voimassaolo/alkamispaiva"),
            n(after(f("valid_until", ANY_DATE, Optional, ["Voimassa asti", "Gäller till", "In force until"]), "valid_from"), "sopimus/voimassaolo/paattymispaiva"),
        ],
    },
    Spec {
        kind: "information_received",
        names: ["Merkintä asiakasta koskevien tietojen pyytämisestä tai saamisesta", "Anteckning om begäran eller mottagande av uppgifter om klienten", "Information received from others"],
        definition_oid: "1.2.246.537.6.1506.19009.2023.11.30",
        root: "merkinta_asiakasta_koskevien_tietojen_pyytamisesta_tai_saamisesta",
        client: Shape::Array,
        needs_identity_code: false,
        author: Shape::Object,
        task: Some(("palvelutehtava", Shape::Object)),
        signature: Shape::Absent,
        information_from: false,
        parties: false,
        // 703/2023 §39: what was received, from whom, when, who asked, on
        // which legal basis or consent, and for what purpose.
        fields: &[
            n(f("date", PAST, Always, ["Tietojen saamispäivä", "Dag då uppgifterna erhölls", "Date received"]), "tietojen_saamisen_paivamaara"),
            n(f("source", Type::Text, Always, ["Keneltä tiedot saatiin", "Av vem uppgifterna erhölls", "From whom"]), "tiedonlahde"),
            n(f("received", Type::LongText, Always, ["Saadut tiedot", "Erhållna uppgifter", "What was received"]), "saadut_tiedot"),
            n(f("requested_on", PAST, Optional, ["Pyyntöpäivä", "Dag för begäran", "Date asked"]), "tietojen_pyytamisen_paivamaara"),
            n(f("requested_by", Type::Name, Always, ["Tietoja pyytänyt ammattihenkilö", "Yrkesperson som begärde uppgifterna", "Who asked"]), "tietoja_pyytanyt_ammattihenkilo"),
            n(f("requested", Type::LongText, Optional, ["Pyydetyt tiedot", "Begärda uppgifter", "What was asked for"]), "pyydetyt_tiedot"),
            f("basis_kind", Type::Choice(&BASIS), Always, ["Tietojen saamisen peruste", "Grund för att få uppgifterna", "Basis"]),
            n(f("basis", Type::Text, Always, ["Lainkohta tai suostumus", "Lagrum eller samtycke", "The provision, or the consent"]), "perustelu"),
            n(f("purpose", Type::Text, Always, ["Käyttötarkoitus", "Användningsändamål", "Purpose"]), "kayttotarkoitus_johon_tiedot_on_pyydetty"),
        ],
    },
];

/// A typed value of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Date(NaiveDate),
    Bool(bool),
    Number(i64),
    Choice(&'static Opt),
}

impl FieldValue {
    fn to_json(&self) -> Value {
        match self {
            Self::Text(s) => json!(s),
            Self::Date(d) => json!(d.to_string()),
            Self::Bool(b) => json!(b),
            Self::Number(n) => json!(n),
            Self::Choice(o) => json!(o.value),
        }
    }

    /// The value as a form shows it.
    pub fn as_input(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Date(d) => d.to_string(),
            Self::Bool(b) => b.to_string(),
            Self::Number(n) => n.to_string(),
            Self::Choice(o) => o.value.to_owned(),
        }
    }

    /// The value as a person reads it.
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Date(d) => crate::calendar::day_month_year(*d),
            Self::Bool(true) => pick(&["kyllä", "ja", "yes"], lang).to_owned(),
            Self::Bool(false) => pick(&["ei", "nej", "no"], lang).to_owned(),
            Self::Number(n) => n.to_string(),
            Self::Choice(o) => o.name(lang).to_owned(),
        }
    }
}

/// A party a decision is served to (tiedoksianto): who, how and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    pub method: &'static Opt,
    /// When it was served; None while not yet served.
    pub served_on: Option<NaiveDate>,
}

/// A form document: its kind and its checked values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub spec: &'static Spec,
    pub values: BTreeMap<&'static str, FieldValue>,
    pub parties: Vec<Party>,
}

/// A party as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartyInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub served_on: String,
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormError {
    Required,
    Date,
    FutureDate,
    /// Further ahead than `edge::FUTURE_YEARS`.
    TooFar,
    /// A character refused in any text (`edge::check_text`).
    BadText(crate::edge::TextProblem),
    /// Before the date of another field.
    Before(&'static str),
    Choice,
    Number {
        min: i64,
        max: i64,
    },
    TooLong,
    Unknown,
    /// A decision names at least one party it is served to.
    NoParty,
}

/// A date as a form gives it (ISO): `None` when empty; refused when it is
/// not a date, or, unless `future` allows it, after `today`.
pub fn typed_date(
    raw: &str,
    future: bool,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, FormError> {
    match raw.trim() {
        "" => Ok(None),
        s => match crate::edge::iso_date(s) {
            Some(d) if !future && d > today => Err(FormError::FutureDate),
            Some(d) if future && crate::edge::not_too_far(d, today).is_err() => {
                Err(FormError::TooFar)
            }
            Some(d) => Ok(Some(d)),
            None => Err(FormError::Date),
        },
    }
}

impl FormError {
    pub fn message(self, spec: &Spec, lang: Lang) -> String {
        let m = |n: Names| pick(&n, lang).to_owned();
        match self {
            Self::Required => m(REQUIRED),
            Self::Date => m(BAD_DATE),
            Self::FutureDate => m(FUTURE_DATE),
            Self::TooFar => crate::edge::DateProblem::TooFar.message(lang).to_owned(),
            Self::BadText(p) => p.message(lang).to_owned(),
            Self::Before(other) => {
                let other = spec.field(other).map_or(other, |f| f.name(lang));
                match lang {
                    Lang::Fi => format!("Päivämäärä ei voi olla ennen kenttää ”{other}”."),
                    Lang::Sv => format!("Datumet kan inte vara före ”{other}”."),
                    Lang::En => format!("The date cannot be before “{other}”."),
                }
            }
            Self::Choice => m(CHOOSE),
            Self::Number { min, max } => match lang {
                Lang::Fi => format!("Anna kokonaisluku {min}–{max}."),
                Lang::Sv => format!("Ange ett heltal {min}–{max}."),
                Lang::En => format!("Give a whole number from {min} to {max}."),
            },
            Self::TooLong => m([
                "Teksti on liian pitkä.",
                "Texten är för lång.",
                "The text is too long.",
            ]),
            Self::Unknown => m([
                "Tätä tietoa ei ole tässä asiakirjassa.",
                "Den här uppgiften finns inte i handlingen.",
                "This document has no such field.",
            ]),
            Self::NoParty => m([
                "Kirjaa vähintään yksi asianosainen, jolle päätös annetaan tiedoksi.",
                "Ange minst en part som beslutet delges.",
                "Name at least one party the decision is served to.",
            ]),
        }
    }
}

const MAX_LINE: usize = 500;

fn choose(choices: &'static Choices, s: &str) -> Option<&'static Opt> {
    choices.options.iter().find(|o| o.value == s.trim())
}

impl Spec {
    /// Checks a form as typed (every value a string; a checkbox `true`,
    /// `on` or empty); every problem at once, by field. Parties are named
    /// `parties[i].name` and so on. Fields not in the kind are refused.
    pub fn check(
        &'static self,
        input: &BTreeMap<String, String>,
        parties: &[PartyInput],
        today: NaiveDate,
    ) -> Result<Form, Vec<(String, FormError)>> {
        let mut errors: Vec<(String, FormError)> = Vec::new();
        for key in input.keys() {
            if self.field(key).is_none() {
                errors.push((key.clone(), FormError::Unknown));
            }
        }
        let mut values = BTreeMap::new();
        for field in self.fields {
            let raw = input.get(field.key).map(|s| s.trim()).unwrap_or_default();
            let key = field.key.to_owned();
            if raw.is_empty() {
                if matches!(field.ty, Type::Bool) {
                    // An unticked box says no.
                    values.insert(field.key, FieldValue::Bool(false));
                } else if field.need == Need::Always {
                    errors.push((key, FormError::Required));
                }
                continue;
            }
            let multiline = matches!(field.ty, Type::LongText);
            let value = match &field.ty {
                _ if crate::edge::check_text(raw, multiline).is_err() => Err(FormError::BadText(
                    crate::edge::check_text(raw, multiline)
                        .err()
                        .unwrap_or(crate::edge::TextProblem::Control),
                )),
                Type::Text | Type::Name if raw.chars().count() > MAX_LINE => {
                    Err(FormError::TooLong)
                }
                Type::Text | Type::Name => Ok(FieldValue::Text(raw.to_owned())),
                Type::LongText if raw.chars().count() > MAX_TEXT => Err(FormError::TooLong),
                Type::LongText => Ok(FieldValue::Text(raw.to_owned())),
                Type::Date { future } => typed_date(raw, *future, today)
                    .and_then(|d| d.map(FieldValue::Date).ok_or(FormError::Required)),
                Type::Bool => match raw {
                    "true" | "on" | "1" => Ok(FieldValue::Bool(true)),
                    "false" | "off" | "0" => Ok(FieldValue::Bool(false)),
                    _ => Err(FormError::Choice),
                },
                Type::Number { min, max } => match raw.parse::<i64>() {
                    Ok(v) if (*min..=*max).contains(&v) => Ok(FieldValue::Number(v)),
                    _ => Err(FormError::Number {
                        min: *min,
                        max: *max,
                    }),
                },
                Type::Choice(c) => choose(c, raw)
                    .map(FieldValue::Choice)
                    .ok_or(FormError::Choice),
                Type::StaffUser => match raw.parse::<i64>() {
                    Ok(v) if v > 0 => Ok(FieldValue::Number(v)),
                    _ => Err(FormError::Choice),
                },
            };
            match value {
                Ok(v) => {
                    values.insert(field.key, v);
                }
                Err(e) => errors.push((key, e)),
            }
        }
        for field in self.fields {
            if let (Some(other), Some(FieldValue::Date(d))) =
                (field.not_before, values.get(field.key))
            {
                if let Some(FieldValue::Date(o)) = values.get(other) {
                    if d < o {
                        errors.push((field.key.to_owned(), FormError::Before(other)));
                    }
                }
            }
        }
        let mut checked = Vec::new();
        if !self.parties && parties.iter().any(|p| p != &PartyInput::default()) {
            errors.push(("parties".to_owned(), FormError::Unknown));
        }
        for (i, p) in parties.iter().enumerate() {
            if !self.parties || p == &PartyInput::default() {
                continue;
            }
            let at = |f: &str| format!("parties[{i}].{f}");
            let name = p.name.trim();
            if name.is_empty() {
                errors.push((at("name"), FormError::Required));
            } else if name.chars().count() > MAX_LINE {
                errors.push((at("name"), FormError::TooLong));
            } else if let Err(p) = crate::edge::check_text(name, false) {
                errors.push((at("name"), FormError::BadText(p)));
            }
            let method = choose(&SERVICE_METHOD, &p.method);
            if method.is_none() {
                errors.push((at("method"), FormError::Choice));
            }
            let served_on = match typed_date(&p.served_on, false, today) {
                Ok(Some(d)) => {
                    if let Some(FieldValue::Date(decided)) = values.get("date") {
                        if d < *decided {
                            errors.push((at("served_on"), FormError::Before("date")));
                        }
                    }
                    Some(d)
                }
                Ok(None) => None,
                Err(e) => {
                    errors.push((at("served_on"), e));
                    None
                }
            };
            if let Some(method) = method {
                checked.push(Party {
                    name: name.to_owned(),
                    method,
                    served_on,
                });
            }
        }
        if errors.is_empty() {
            Ok(Form {
                spec: self,
                values,
                parties: checked,
            })
        } else {
            Err(errors)
        }
    }
}

impl Form {
    /// The content as stored: the values by key (`date` among them, which
    /// the timeline reads), and a decision's parties.
    pub fn to_json(&self) -> Value {
        let mut m: Map<String, Value> = self
            .values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.to_json()))
            .collect();
        if self.spec.parties {
            m.insert(
                "parties".into(),
                Value::Array(
                    self.parties
                        .iter()
                        .map(|p| {
                            json!({
                                "name": p.name,
                                "method": p.method.value,
                                "served_on": p.served_on.map(|d| d.to_string()),
                            })
                        })
                        .collect(),
                ),
            );
        }
        Value::Object(m)
    }

    /// The stored content, checked again against the kind (dates in the
    /// future are not refused here: they were checked when written).
    pub fn from_json(spec: &'static Spec, value: &Value) -> Option<Self> {
        let obj = value.as_object()?;
        let mut input = BTreeMap::new();
        for (k, v) in obj {
            if k != "parties" {
                input.insert(k.clone(), as_input(v)?);
            }
        }
        let parties: Vec<PartyInput> = match obj.get("parties") {
            Some(Value::Array(a)) => a
                .iter()
                .map(|p| PartyInput {
                    name: p["name"].as_str().unwrap_or_default().to_owned(),
                    method: p["method"].as_str().unwrap_or_default().to_owned(),
                    served_on: p["served_on"].as_str().unwrap_or_default().to_owned(),
                })
                .collect(),
            _ => Vec::new(),
        };
        spec.check(&input, &parties, NaiveDate::MAX).ok()
    }

    /// The form's values as typed, for editing.
    pub fn inputs(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.as_input()))
            .collect()
    }

    /// Sets a decision's appeal from its template (kirjo_domain::decision):
    /// the means, the instructions and the period.
    pub fn set_appeal(&mut self, means: &str, instructions: &str, period: &str) {
        if let Some(o) = choose(&APPEAL, means) {
            self.values.insert("appeal_means", FieldValue::Choice(o));
        }
        self.values.insert(
            "appeal_instructions",
            FieldValue::Text(instructions.to_owned()),
        );
        self.values
            .insert("appeal_period", FieldValue::Text(period.to_owned()));
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self.values.get("date") {
            Some(FieldValue::Date(d)) => Some(*d),
            _ => None,
        }
    }

    /// What must be filled in before completion.
    pub fn missing_for_completion(&self) -> Vec<&'static str> {
        let mut missing: Vec<&'static str> = self
            .spec
            .fields
            .iter()
            .filter(|f| f.need == Need::ToComplete && !self.values.contains_key(f.key))
            .map(|f| f.key)
            .collect();
        if self.spec.parties && self.parties.is_empty() {
            missing.push("parties");
        }
        missing
    }

    /// The codes of its choices that Kirjo may not export
    /// (`crate::codes`): (field, why).
    pub fn refused_codes(&self) -> Vec<(&'static str, String)> {
        self.spec
            .fields
            .iter()
            .filter_map(|f| match (&f.ty, self.values.get(f.key)) {
                (Type::Choice(c), Some(FieldValue::Choice(o))) => c
                    .system
                    .and_then(|system| crate::codes::refused(system, o.code))
                    .map(|why| (f.key, why)),
                _ => None,
            })
            .collect()
    }

    /// The fields as a person reads them, in the kind's order: key, label, value.
    pub fn display(&self, lang: Lang) -> Vec<(&'static str, &'static str, String)> {
        self.spec
            .fields
            .iter()
            .filter_map(|f| {
                self.values
                    .get(f.key)
                    .map(|v| (f.key, f.name(lang), v.display(lang)))
            })
            .collect()
    }

    /// The national structure's body for the kind's own fields: each value
    /// at its place. Kirjo adds the client, author, task and signature.
    pub fn national_fields(&self) -> Map<String, Value> {
        let mut body = Map::new();
        for field in self.spec.fields {
            let (Some(path), Some(value)) = (field.national, self.values.get(field.key)) else {
                continue;
            };
            let value = match (value, &field.ty) {
                (FieldValue::Choice(o), Type::Choice(c)) => match c.system {
                    Some(system) => json!({
                        "system": format!("urn:oid:{system}"),
                        "code": o.code,
                        "display": o.names[0],
                    }),
                    None => json!(o.names[0]),
                },
                (FieldValue::Text(s), Type::Name) => {
                    let (first, last) = split_name(s);
                    json!({ "etunimet": first, "sukunimi": last })
                }
                (v, _) => v.to_json(),
            };
            put(&mut body, path, value);
        }
        if self.spec.parties && !self.parties.is_empty() {
            let names: Vec<&str> = self.parties.iter().map(|p| p.name.as_str()).collect();
            put(
                &mut body,
                "paatos/tama_paatos_annetaan_tiedoksi_seuraaville_henkiloille",
                json!(names.join(", ")),
            );
        }
        body
    }
}

/// A field's value in JSON as typed: a string, a boolean or a number (null
/// is empty); None for anything else.
pub fn as_input(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// Splits a name kept whole into (first names, surname): the last word is
/// taken as the surname.
pub fn split_name(name: &str) -> (String, String) {
    match name.trim().rsplit_once(' ') {
        Some((first, last)) => (first.to_owned(), last.to_owned()),
        None => (name.trim().to_owned(), name.trim().to_owned()),
    }
}

/// Puts `value` at `path` (`a/b`, `a[]/b`) in `m`, merging objects.
pub fn put(m: &mut Map<String, Value>, path: &str, value: Value) {
    let (head, rest) = match path.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let (name, array) = match head.strip_suffix("[]") {
        Some(n) => (n, true),
        None => (head, false),
    };
    let Some(rest) = rest else {
        let slot = match m.get_mut(name) {
            Some(Value::Array(a)) if array => a.first_mut(),
            other => other,
        };
        match (slot, value) {
            (Some(Value::Object(old)), Value::Object(new)) => old.extend(new),
            (_, value) => {
                let value = if array {
                    Value::Array(vec![value])
                } else {
                    value
                };
                m.insert(name.to_owned(), value);
            }
        }
        return;
    };
    let slot = m.entry(name.to_owned()).or_insert_with(|| {
        if array {
            Value::Array(vec![Value::Object(Map::new())])
        } else {
            Value::Object(Map::new())
        }
    });
    let inner = match slot {
        Value::Array(a) => a.first_mut(),
        other => Some(other),
    };
    if let Some(Value::Object(inner)) = inner {
        put(inner, rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    fn input(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_kind_is_well_formed() {
        let mut kinds = std::collections::HashSet::new();
        for s in specs() {
            assert!(kinds.insert(s.kind), "{} twice", s.kind);
            assert!(s.definition_oid.starts_with("1.2.246.537.6.1506."));
            let date = s
                .field("date")
                .unwrap_or_else(|| panic!("{} has no date", s.kind));
            assert!(matches!(date.ty, Type::Date { .. }));
            let mut keys = std::collections::HashSet::new();
            for f in s.fields {
                assert!(keys.insert(f.key), "{}.{} twice", s.kind, f.key);
                assert!(f.key != "parties");
                if let Some(o) = f.not_before {
                    assert!(s.field(o).is_some(), "{}.{} after {o}", s.kind, f.key);
                }
                for lang in [Lang::Fi, Lang::Sv, Lang::En] {
                    assert!(!f.name(lang).is_empty());
                }
                if let Type::Choice(c) = &f.ty {
                    if c.system.is_some() {
                        assert!(c.options.iter().all(|o| !o.code.is_empty()));
                    }
                }
            }
        }
    }

    #[test]
    fn a_form_is_checked_field_by_field() {
        let s = spec("decision").unwrap_or_else(|| panic!("decision"));
        let errors = s
            .check(
                &input(&[
                    ("date", "2026-11-24"),
                    ("outcome", "maybe"),
                    ("valid_from", "2027-01-01"),
                    ("valid_until", "2026-12-01"),
                    ("signed_by", "x"),
                ]),
                &[PartyInput {
                    name: "".into(),
                    method: "pigeon".into(),
                    served_on: "2026-11-01".into(),
                }],
                today(),
            )
            .err()
            .unwrap_or_default();
        for expected in [
            ("signed_by", FormError::Unknown),
            ("date", FormError::FutureDate),
            ("outcome", FormError::Choice),
            ("service", FormError::Required),
            ("decision_text", FormError::Required),
            ("valid_until", FormError::Before("valid_from")),
            ("parties[0].name", FormError::Required),
            ("parties[0].method", FormError::Choice),
        ] {
            assert!(
                errors.contains(&(expected.0.to_owned(), expected.1)),
                "{expected:?} in {errors:?}"
            );
        }
        assert!(FormError::Before("valid_from")
            .message(s, Lang::Fi)
            .contains("Voimassa alkaen"),);
    }

    #[test]
    fn a_decision_round_trips_and_names_its_decision_maker_by_id() {
        let s = spec("decision").unwrap_or_else(|| panic!("decision"));
        let form = s
            .check(
                &input(&[
                    ("date", "2026-11-20"),
                    ("outcome", "positive"),
                    ("service", "support_person_or_family"),
                    ("decision_text", "Myönnetään tukihenkilö."),
                    ("legal_basis", "Lastensuojelulaki 36 §"),
                    ("decision_maker", "12"),
                ]),
                &[PartyInput {
                    name: "Huoltaja Hanna".into(),
                    method: "letter".into(),
                    served_on: "2026-11-21".into(),
                }],
                today(),
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        // The appeal comes from the template of the legal basis.
        assert_eq!(form.missing_for_completion(), vec!["information_phone"]);
        assert_eq!(
            form.values.get("decision_maker"),
            Some(&FieldValue::Number(12))
        );
        assert!(s
            .check(
                &input(&[
                    ("date", "2026-11-20"),
                    ("outcome", "positive"),
                    ("service", "support_person_or_family"),
                    ("decision_text", "x"),
                    ("legal_basis", "x"),
                    ("decision_maker", "Liisa Esimies"),
                ]),
                &[],
                today(),
            )
            .err()
            .unwrap_or_default()
            .contains(&("decision_maker".to_owned(), FormError::Choice)));
        let back = Form::from_json(s, &form.to_json());
        assert_eq!(back.as_ref(), Some(&form));
        let national = form.national_fields();
        assert_eq!(
            national["paatos"]["ratkaisun_laji"]["system"],
            json!("urn:oid:1.2.246.537.6.1248")
        );
        // The decision maker's names come from the staff table at export.
        assert!(national["paatos"].get("paatoksentekija").is_none());
        assert_eq!(
            national["paatos"]["tama_paatos_annetaan_tiedoksi_seuraaville_henkiloille"],
            json!("Huoltaja Hanna")
        );
    }

    /// The node at `path` under `node` in a JSON Schema, through objects
    /// and arrays.
    fn schema_at<'a>(mut node: &'a Value, path: &str) -> Option<&'a Value> {
        for seg in path.split('/') {
            let seg = seg.trim_end_matches("[]");
            if node["type"] == "array" {
                node = &node["items"];
            }
            node = node.get("properties")?.get(seg)?;
        }
        if node["type"] == "array" {
            node = &node["items"];
        }
        Some(node)
    }

    #[test]
    fn every_national_place_is_in_the_schema_with_its_type() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sosmeta");
        let index = std::fs::read_to_string(dir.join("INDEX.csv")).unwrap_or_default();
        for s in specs() {
            assert!(
                index.contains(&format!("\n{},", s.definition_oid)),
                "{} is not in INDEX.csv",
                s.definition_oid
            );
            let text = std::fs::read_to_string(dir.join(format!("{}.json", s.definition_oid)))
                .unwrap_or_else(|e| panic!("{}: {e}", s.definition_oid));
            let schema: Value = serde_json::from_str(&text).unwrap_or_default();
            let root = schema_at(&schema, s.root).unwrap_or_else(|| panic!("{} root", s.kind));
            for f in s.fields {
                let Some(path) = f.national else { continue };
                let node = schema_at(root, path)
                    .unwrap_or_else(|| panic!("{}.{}: {path} is not in the schema", s.kind, f.key));
                let want = match &f.ty {
                    Type::Text | Type::LongText | Type::Date { .. } => "string",
                    Type::Bool => "boolean",
                    Type::Number { .. } => "number",
                    Type::Name => "object",
                    Type::StaffUser => "object",
                    Type::Choice(c) if c.system.is_some() => "object",
                    Type::Choice(_) => "string",
                };
                assert_eq!(node["type"], want, "{}.{} at {path}", s.kind, f.key);
                if let Type::Choice(Choices {
                    system: Some(system),
                    ..
                }) = &f.ty
                {
                    let pattern = node["properties"]["system"]["pattern"]
                        .as_str()
                        .unwrap_or("");
                    assert!(
                        pattern.contains(&system.replace('.', "\\.")),
                        "{}.{}: {system} against {pattern}",
                        s.kind,
                        f.key
                    );
                }
            }
            for (shape, place) in [
                (s.client, "asiakas"),
                (s.author, "laatija"),
                (s.signature, "allekirjoitus"),
            ] {
                let node = root["properties"].get(place);
                match shape {
                    Shape::Absent => {}
                    Shape::Array => assert_eq!(
                        node.map(|n| &n["type"]),
                        Some(&json!("array")),
                        "{} {place}",
                        s.kind
                    ),
                    Shape::Object => assert_eq!(
                        node.map(|n| &n["type"]),
                        Some(&json!("object")),
                        "{} {place}",
                        s.kind
                    ),
                }
            }
        }
    }

    #[test]
    fn paths_nest_objects_and_single_element_arrays() {
        let mut m = Map::new();
        put(&mut m, "a[]/b", json!(1));
        put(&mut m, "a[]/c/d", json!("x"));
        put(&mut m, "e", json!({ "f": 1 }));
        put(&mut m, "e/g", json!(2));
        put(&mut m, "a[]", json!({ "h": true }));
        put(&mut m, "k[]", json!({ "l": 1 }));
        assert_eq!(
            Value::Object(m),
            json!({
                "a": [{ "b": 1, "c": { "d": "x" }, "h": true }],
                "e": { "f": 1, "g": 2 },
                "k": [{ "l": 1 }],
            })
        );
    }

    #[test]
    fn numbers_follow_the_law_on_rehabilitative_work() {
        let s = spec("activation_plan").unwrap_or_else(|| panic!("activation_plan"));
        let errors = s
            .check(
                &input(&[
                    ("date", "2026-11-02"),
                    ("participants", "Asiakas, sosiaalityöntekijä"),
                    ("goals", "Arjen rytmi"),
                    ("measures", "Kuntouttava työtoiminta"),
                    ("days_per_week", "6"),
                    ("hours_per_day", "3"),
                ]),
                &[],
                today(),
            )
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors,
            vec![
                (
                    "days_per_week".to_owned(),
                    FormError::Number { min: 1, max: 5 }
                ),
                (
                    "hours_per_day".to_owned(),
                    FormError::Number { min: 4, max: 8 }
                ),
            ]
        );
    }
}
