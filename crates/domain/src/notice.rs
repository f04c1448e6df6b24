//! The privacy notice (tietosuojaseloste, GDPR art. 13-14) and the record
//! of processing activities (seloste käsittelytoimista, art. 30), in
//! Finnish, Swedish and English, made from the register description and
//! from what Kirjo enforces:
//!
//! - retention periods from the rule table chosen by `retention_rule_set`
//!   ([`crate::retention`]);
//! - regular disclosures and transfers outside the EU/EEA from the register
//!   description, the same data the rest of Kirjo reads;
//! - transport encryption from the server's TLS configuration
//!   ([`Facts::https_only`]): the configuration's free texts may not speak
//!   of encryption (validation refuses it), so the notice promises HTTPS
//!   only where Kirjo serves HTTPS only.
//!
//! The result is a structure (sections of paragraphs and lists) that the
//! web page, the CLI (Markdown) and the PDF each render.

use crate::contact::Lang;
use crate::register::{
    LawfulBasis, Person, Register, RegisterDescription, SupervisoryAuthority, TransfersOutsideEea,
};
use crate::retention;
use serde::Serialize;

/// What the notice states from Kirjo's own configuration, beyond the
/// register description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    /// Kirjo serves HTTPS only (`server.tls_certificate` and key given).
    pub https_only: bool,
}

/// A made notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub lang: Lang,
    pub title: String,
    /// The law it is made under.
    pub subtitle: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
pub enum Block {
    Para(String),
    List(Vec<String>),
}

/// Picks the text of the language.
fn t(lang: Lang, fi: &str, sv: &str, en: &str) -> String {
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
    .to_owned()
}

fn person(p: &Person, lang: Lang) -> String {
    let mut line = format!("{}, {}", p.name, p.title.get(lang));
    for v in [&p.phone, &p.email, &p.address].into_iter().flatten() {
        line.push_str(", ");
        line.push_str(v);
    }
    line
}

fn authority(a: &SupervisoryAuthority, lang: Lang) -> String {
    let mut parts = vec![a.name.get(lang).to_owned(), a.address.get(lang).to_owned()];
    if let Some(v) = &a.visiting_address {
        parts.push(format!(
            "{} {}",
            t(lang, "käyntiosoite", "besöksadress", "visiting address"),
            v.get(lang)
        ));
    }
    for v in [&a.phone, &a.email, &a.web].into_iter().flatten() {
        parts.push(v.clone());
    }
    parts.join(", ")
}

struct Builder {
    lang: Lang,
    sections: Vec<Section>,
}

impl Builder {
    fn section(&mut self, fi: &str, sv: &str, en: &str) {
        let n = self.sections.len() + 1;
        self.sections.push(Section {
            heading: format!("{n}. {}", t(self.lang, fi, sv, en)),
            blocks: Vec::new(),
        });
    }
    fn push(&mut self, b: Block) {
        if let Some(s) = self.sections.last_mut() {
            s.blocks.push(b);
        }
    }
    fn para(&mut self, s: String) {
        self.push(Block::Para(s));
    }
    fn p(&mut self, fi: &str, sv: &str, en: &str) {
        let s = t(self.lang, fi, sv, en);
        self.para(s);
    }
    fn list(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.push(Block::List(items));
        }
    }
}

fn lawful_basis(b: LawfulBasis, lang: Lang) -> String {
    match b {
        LawfulBasis::PublicAuthority => t(
            lang,
            "yleistä etua koskevan tehtävän suorittaminen tai julkisen vallan käyttö (6 artiklan 1 kohdan e alakohta)",
            "uppgift av allmänt intresse eller myndighetsutövning (artikel 6.1 e)",
            "a task carried out in the public interest or in the exercise of official authority (Article 6(1)(e))",
        ),
        LawfulBasis::LegalObligation => t(
            lang,
            "rekisterinpitäjän lakisääteisen velvoitteen noudattaminen (6 artiklan 1 kohdan c alakohta)",
            "fullgörande av en rättslig förpliktelse (artikel 6.1 c)",
            "compliance with a legal obligation of the controller (Article 6(1)(c))",
        ),
        LawfulBasis::Consent => t(
            lang,
            "rekisteröidyn suostumus (6 artiklan 1 kohdan a alakohta)",
            "den registrerades samtycke (artikel 6.1 a)",
            "the data subject's consent (Article 6(1)(a))",
        ),
        LawfulBasis::Contract => t(
            lang,
            "sopimuksen täytäntöönpano (6 artiklan 1 kohdan b alakohta)",
            "fullgörande av ett avtal (artikel 6.1 b)",
            "the performance of a contract (Article 6(1)(b))",
        ),
    }
}

/// The transfers sentence, from the configured rule.
pub fn transfers(r: &Register, lang: Lang) -> String {
    match r.transfers_outside_eea {
        TransfersOutsideEea::None => t(
            lang,
            "Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.",
            "Uppgifterna överförs inte utanför EU eller EES.",
            "The data are not transferred outside the EU or the EEA.",
        ),
        TransfersOutsideEea::OnlyWithExplicitConsentOrLegalRequest => t(
            lang,
            "Tietoja siirretään EU:n tai ETA:n ulkopuolelle vain asiakkaan nimenomaisella suostumuksella tai lakiin perustuvan pyynnön perusteella.",
            "Uppgifter överförs utanför EU eller EES endast med klientens uttryckliga samtycke eller på en begäran som grundar sig på lag.",
            "Data are transferred outside the EU or the EEA only with the client's explicit consent or on a request based on law.",
        ),
    }
}

/// The transport sentence, from the server's TLS configuration.
pub fn transport(facts: Facts, lang: Lang) -> String {
    if facts.https_only {
        t(
            lang,
            "Yhteydet järjestelmään on salattu: Kirjo palvelee vain HTTPS-yhteyksiä (TLS), ja istuntoevästeet lähetetään vain salattuina.",
            "Förbindelserna till systemet är krypterade: Kirjo betjänar endast HTTPS-förbindelser (TLS), och sessionskakor skickas endast krypterade.",
            "Connections to the system are encrypted: Kirjo serves HTTPS (TLS) only, and session cookies are sent only encrypted.",
        )
    } else {
        t(
            lang,
            "Kirjo ei itse salaa yhteyksiä tässä asennuksessa; salaus on järjestettävä sen eteen sijoitetulla palvelimella.",
            "Kirjo krypterar inte själv förbindelserna i denna installation; krypteringen måste ordnas av en server framför det.",
            "Kirjo does not itself encrypt connections in this installation; encryption must be provided by a server in front of it.",
        )
    }
}

/// The retention rows of the table in force, in words.
pub fn retention_rows(r: &Register, lang: Lang) -> Vec<String> {
    retention::rules(r.retention_rule_set)
        .iter()
        .map(|rule| format!("{}: {}", rule.class(lang), rule.period(lang)))
        .collect()
}

/// A regular disclosure in words.
pub fn disclosure_rows(r: &Register, lang: Lang) -> Vec<String> {
    r.regular_disclosures
        .iter()
        .map(|d| {
            format!(
                "{}: {} ({})",
                d.recipient.get(lang),
                d.data.get(lang),
                d.legal_basis.get(lang)
            )
        })
        .collect()
}

fn texts(list: &[crate::register::Text], lang: Lang) -> Vec<String> {
    list.iter().map(|x| x.get(lang).to_owned()).collect()
}

fn controller_lines(d: &RegisterDescription, lang: Lang) -> Vec<String> {
    let c = &d.controller;
    let mut lines = vec![c.name.clone(), c.address.clone(), c.phone.clone()];
    lines.extend(c.email.clone());
    lines.push(format!(
        "{} {}",
        t(lang, "Y-tunnus", "FO-nummer", "Business ID"),
        c.business_id
    ));
    lines
}

fn made(d: &RegisterDescription, lang: Lang) -> String {
    let day = d.notice.made_on.format("%-d.%-m.%Y");
    format!(
        "{} {day}, {}",
        t(lang, "Laadittu", "Upprättad", "Made on"),
        d.notice.made_by.get(lang)
    )
}

/// The privacy notice of one register (art. 13-14).
pub fn privacy_notice(d: &RegisterDescription, r: &Register, facts: Facts, lang: Lang) -> Notice {
    let mut b = Builder {
        lang,
        sections: Vec::new(),
    };
    b.section("Rekisterin nimi", "Registrets namn", "Name of the register");
    b.para(r.name.get(lang).to_owned());

    b.section("Rekisterinpitäjä", "Personuppgiftsansvarig", "Controller");
    b.list(controller_lines(d, lang));

    b.section(
        "Vastuuhenkilö ja yhteyshenkilöt",
        "Ansvarsperson och kontaktpersoner",
        "Responsible official and contact persons",
    );
    let mut people = vec![person(&d.responsible_official, lang)];
    people.extend(d.contacts.iter().map(|p| person(p, lang)));
    b.list(people);

    b.section(
        "Tietosuojavastaava",
        "Dataskyddsombud",
        "Data protection officer",
    );
    b.para(person(&d.data_protection_officer, lang));

    b.section(
        "Henkilötietojen käsittelyn tarkoitus",
        "Ändamålet med behandlingen av personuppgifter",
        "Purpose of processing",
    );
    b.para(r.purpose.get(lang).to_owned());

    b.section(
        "Käsittelyn oikeusperuste",
        "Rättslig grund för behandlingen",
        "Lawful basis of processing",
    );
    b.list(
        r.lawful_basis
            .iter()
            .map(|x| lawful_basis(*x, lang))
            .collect(),
    );
    let special = format!(
        "{} {}",
        t(
            lang,
            "Erityiset henkilötietoryhmät (9 artiklan 2 kohta):",
            "Särskilda kategorier av personuppgifter (artikel 9.2):",
            "Special categories of personal data (Article 9(2)):",
        ),
        r.special_categories_basis.get(lang)
    );
    b.para(special);
    let criminal = format!(
        "{} {}",
        t(
            lang,
            "Rikostuomioita ja rikoksia koskevat tiedot (10 artikla):",
            "Uppgifter om brott och fällande domar (artikel 10):",
            "Data on criminal convictions and offences (Article 10):",
        ),
        r.criminal_data_basis.get(lang)
    );
    b.para(criminal);
    b.para(r.statutory_duty.get(lang).to_owned());
    if r.authority_register {
        b.p(
            "Rekisteri on viranomaisen rekisteri.",
            "Registret är en myndighets register.",
            "The register is a register of a public authority.",
        );
    }
    b.p(
        "Tietoja ei käytetä automatisoituihin yksittäispäätöksiin eikä profilointiin.",
        "Uppgifterna används inte för automatiserat individuellt beslutsfattande eller profilering.",
        "The data are not used for automated individual decisions or profiling.",
    );
    b.p(
        "Toimintaa ohjaava lainsäädäntö:",
        "Lagstiftning som styr verksamheten:",
        "Laws governing the processing:",
    );
    b.list(texts(&r.laws, lang));

    b.section(
        "Rekisteröidyt ja rekisterin tietosisältö",
        "Registrerade och registrets innehåll",
        "Data subjects and the data held",
    );
    b.list(texts(&r.data_subjects, lang));
    b.p("Tietosisältö:", "Innehåll:", "Data held:");
    b.list(texts(&r.data_content, lang));
    b.p("Osarekisterit:", "Delregister:", "Sub-registers:");
    b.list(
        r.sub_registers
            .iter()
            .map(|s| {
                let (name, tasks): (&str, Vec<&str>) = match lang {
                    Lang::Fi => (
                        s.name_fi.as_str(),
                        s.service_tasks.iter().map(|x| x.name_fi.as_str()).collect(),
                    ),
                    Lang::Sv => (
                        s.name_sv.as_str(),
                        s.service_tasks.iter().map(|x| x.name_sv.as_str()).collect(),
                    ),
                    Lang::En => (
                        s.name_en.as_str(),
                        s.service_tasks.iter().map(|x| x.name_en.as_str()).collect(),
                    ),
                };
                format!("{name}: {}", tasks.join(", "))
            })
            .collect(),
    );

    b.section(
        "Säännönmukaiset tietolähteet",
        "Regelbundna uppgiftskällor",
        "Regular sources of data",
    );
    b.list(texts(&r.regular_sources, lang));
    b.p(
        "Pankilta tai muulta luottolaitokselta tietoja voidaan pyytää vain, jos viranomaisilta ja asiakkaalta saadut tiedot eivät riitä, toimivaltaisen viranhaltijan päätöksellä, ja asiakkaalle kerrotaan pyynnöstä etukäteen.",
        "Uppgifter kan begäras av en bank eller ett annat kreditinstitut endast om uppgifterna från myndigheterna och klienten inte räcker, genom beslut av en behörig tjänsteinnehavare, och klienten informeras om begäran på förhand.",
        "A bank or other credit institution may be asked for data only if the data from authorities and from the client are not enough, by a decision of an authorised official, and the client is told of the request beforehand.",
    );

    b.section(
        "Säännönmukaiset luovutukset",
        "Regelbundna utlämnanden",
        "Regular disclosures",
    );
    let rows = disclosure_rows(r, lang);
    if rows.is_empty() {
        b.p(
            "Ei säännönmukaisia luovutuksia.",
            "Inga regelbundna utlämnanden.",
            "No regular disclosures.",
        );
    }
    b.list(rows);
    b.p(
        "Tilastotiedot toimitetaan Terveyden ja hyvinvoinnin laitokselle (THL) sen tilastotehtäviä varten. Muutoin tietoja luovutetaan vain asiakkaan tai hänen laillisen edustajansa suostumuksella tai lakiin perustuvan pyynnön perusteella, ja vastaanottaja saa käyttää tietoja vain siihen tarkoitukseen, johon ne on luovutettu. Jokainen luovutus kirjataan luovutuslokiin.",
        "Statistiska uppgifter lämnas till Institutet för hälsa och välfärd (THL) för dess statistikuppgifter. I övrigt lämnas uppgifter ut endast med samtycke av klienten eller hans eller hennes lagliga företrädare eller på en begäran som grundar sig på lag, och mottagaren får använda uppgifterna endast för det ändamål för vilket de lämnats ut. Varje utlämnande förs in i utlämnandeloggen.",
        "Statistics are given to the Finnish Institute for Health and Welfare (THL) for its statistical tasks. Otherwise data are disclosed only with the consent of the client or their legal representative or on a request based on law, and the recipient may use the data only for the purpose they were disclosed for. Every disclosure is recorded in the disclosure log.",
    );

    b.section(
        "Siirrot EU:n tai ETA:n ulkopuolelle",
        "Överföringar utanför EU eller EES",
        "Transfers outside the EU or the EEA",
    );
    b.para(transfers(r, lang));

    b.section(
        "Salassapito ja sen perusteet",
        "Sekretess och dess grunder",
        "Confidentiality and its grounds",
    );
    b.para(r.confidentiality.get(lang).to_owned());
    b.p(
        "Rekisterin tietoja ei yhdistetä muihin rekistereihin.",
        "Registrets uppgifter samkörs inte med andra register.",
        "The register's data are not combined with other registers.",
    );

    b.section(
        "Rekisterin suojauksen periaatteet",
        "Principer för skyddet av registret",
        "How the register is protected",
    );
    b.list(texts(&r.protection_principles, lang));
    b.para(transport(facts, lang));
    b.p("Järjestelmät:", "System:", "Systems:");
    b.list(texts(&r.systems, lang));
    if let Some(paper) = &r.paper_records {
        let s = format!(
            "{} {}",
            t(
                lang,
                "Manuaalinen aineisto:",
                "Manuellt material:",
                "Paper records:"
            ),
            paper.get(lang)
        );
        b.para(s);
    }
    if !r.outsourced_processing.is_empty() {
        b.p(
            "Ulkoistettu käsittely:",
            "Utlagd behandling:",
            "Outsourced processing:",
        );
        b.list(texts(&r.outsourced_processing, lang));
    }

    b.section("Säilytysajat", "Lagringstider", "Retention periods");
    let law = format!(
        "{} {}.",
        t(
            lang,
            "Säilytysajat ovat lain liitteen mukaiset:",
            "Lagringstiderna följer bilagan till lag",
            "The periods follow the annex of Act",
        ),
        r.retention_rule_set.statute()
    );
    b.para(law);
    b.list(retention_rows(r, lang));
    b.p(
        "Kun säilytysaika päättyy, asiakirjat hävitetään viipymättä; hävittämisestä jää merkintä.",
        "När lagringstiden löper ut förstörs handlingarna utan dröjsmål; en anteckning om förstörandet sparas.",
        "When the period ends the documents are destroyed without delay; a record of the destruction remains.",
    );

    b.section(
        "Rekisteröidyn oikeudet ja niiden käyttäminen",
        "Den registrerades rättigheter och hur de utövas",
        "Your rights and how to use them",
    );
    b.list(vec![
        t(lang,
          "Tarkastusoikeus: saat tietää, mitä tietoja sinusta on tallennettu, tai ettei tietoja ole.",
          "Rätt till insyn: du får veta vilka uppgifter om dig som har registrerats, eller att inga finns.",
          "Access: you may learn what data about you are held, or that none are."),
        t(lang,
          "Oikaisuoikeus: virheellinen, tarpeeton, puutteellinen tai vanhentunut tieto korjataan; alkuperäinen merkintä jää luettavaksi.",
          "Rätt till rättelse: felaktiga, onödiga, bristfälliga eller föråldrade uppgifter rättas; den ursprungliga anteckningen förblir läsbar.",
          "Rectification: wrong, needless, incomplete or outdated data are corrected; the original entry stays readable."),
        t(lang,
          "Oikeus käsittelyn rajoittamiseen ja vastustamiseen: pyyntö käsitellään ja siihen vastataan; viranomaisen lakisääteisessä tehtävässä oikeus on rajoitettu.",
          "Rätt till begränsning av och invändning mot behandling: begäran behandlas och besvaras; i en myndighets lagstadgade uppgift är rätten begränsad.",
          "Restriction and objection: the request is handled and answered; in an authority's statutory task the right is limited."),
        t(lang,
          "Oikeus tietojen poistamiseen on rajoitettu: asiakirjat säilytetään säilytysajan loppuun, mutta pyyntö käsitellään ja siihen vastataan.",
          "Rätten till radering är begränsad: handlingarna bevaras till lagringstidens slut, men begäran behandlas och besvaras.",
          "Erasure is limited: documents are kept to the end of their period, but the request is handled and answered."),
        t(lang,
          "Lokitiedot: saat tietää, ketkä ovat käyttäneet tietojasi ja kenelle niitä on luovutettu. Vastaus annetaan viimeistään kahden kuukauden kuluessa; yli kaksi vuotta vanhoja lokitietoja annetaan vain erityisestä syystä.",
          "Loggdata: du får veta vem som har använt dina uppgifter och till vem de har lämnats ut. Svaret ges inom högst två månader; loggdata äldre än två år lämnas endast av särskilda skäl.",
          "Log data: you may learn who has used your data and to whom they were disclosed. The answer is given within two months at most; log data older than two years are given only for a special reason."),
    ]);
    let how = format!(
        "{} {} {} {}",
        t(lang,
          "Tee pyyntö kirjallisesti ja allekirjoitettuna tai muutoin varmennettuna.",
          "Gör begäran skriftligt och undertecknad eller på annat sätt verifierad.",
          "Make the request in writing, signed or otherwise verified."),
        d.notice.request_forms.get(lang),
        r.data_subject_rights.get(lang),
        t(lang,
          "Tarkastus on maksuton kerran vuodessa. Pyyntöön vastataan kuukauden kuluessa (tarvittaessa jatkettavissa). Jos pyyntöä ei hyväksytä, saat siitä kirjallisen todistuksen, jossa on perustelut ja tieto oikeudesta saattaa asia tietosuojavaltuutetun käsiteltäväksi.",
          "Insynen är avgiftsfri en gång per år. Begäran besvaras inom en månad (kan förlängas vid behov). Om begäran inte godtas får du ett skriftligt intyg med skälen och information om rätten att föra ärendet till dataombudsmannen.",
          "Access is free once a year. The request is answered within a month (extendable where needed). If the request is refused you get a written certificate with the reasons and of your right to take the matter to the Data Protection Ombudsman."),
    );
    b.para(how);

    b.section(
        "Alaikäisen kielto",
        "Minderårigas förbud",
        "A minor's prohibition",
    );
    b.p(
        "Alaikäinen voi ikäänsä ja kehitystasoonsa nähden painavasta syystä kieltää tietojensa antamisen lailliselle edustajalleen, ellei se ole selvästi hänen etunsa vastaista (laki 703/2023). Kielto ja sen peruste, tai syy sen hylkäämiseen, kirjataan, eikä kiellettyjä asiakirjoja anneta huoltajalle.",
        "En minderårig kan med beaktande av ålder och utvecklingsnivå av vägande skäl förbjuda att uppgifter lämnas till hans eller hennes lagliga företrädare, om det inte klart strider mot den minderårigas intresse (lag 703/2023). Förbudet och dess grund, eller skälet till att det inte godtogs, antecknas, och de förbjudna handlingarna lämnas inte till vårdnadshavaren.",
        "A minor may, for a weighty reason and in view of their age and maturity, forbid giving their data to their legal representative unless that is clearly against the minor's interest (Act 703/2023). The prohibition and its reason, or why it was not accepted, are recorded, and the documents it covers are not given to the guardian.",
    );

    b.section(
        "Suostumus ja sen peruuttaminen",
        "Samtycke och återkallande av samtycke",
        "Consent and its withdrawal",
    );
    b.p(
        "Suostumus tietojen luovuttamiseen on vapaaehtoinen, yksilöity ja kirjallinen, ja sen voi peruuttaa milloin tahansa; peruuttaminen ei vaikuta jo tehtyjen luovutusten lainmukaisuuteen. Jos asiakas ei voi arvioida suostumuksen merkitystä, suostumuksen antaa hänen laillinen edustajansa.",
        "Samtycke till utlämnande är frivilligt, specificerat och skriftligt och kan återkallas när som helst; återkallandet påverkar inte lagligheten av utlämnanden som redan gjorts. Om klienten inte kan bedöma samtyckets betydelse ger hans eller hennes lagliga företrädare samtycket.",
        "Consent to disclosure is voluntary, specific and in writing, and may be withdrawn at any time; withdrawal does not affect disclosures already made. If the client cannot judge what consent means, their legal representative gives it.",
    );

    b.section(
        "Oikeus tehdä valitus valvontaviranomaiselle",
        "Rätt att lämna klagomål till tillsynsmyndigheten",
        "Right to lodge a complaint",
    );
    let dpo = format!(
        "{} {}.",
        t(lang,
          "Jos katsot, että henkilötietojesi käsittely rikkoo tietosuoja-asetusta, voit tehdä valituksen:",
          "Om du anser att behandlingen av dina personuppgifter strider mot dataskyddsförordningen kan du lämna klagomål till:",
          "If you consider that the processing of your personal data infringes the General Data Protection Regulation, you may lodge a complaint with:"),
        authority(&d.supervisory_authority, lang)
    );
    b.para(dpo);
    let social = format!(
        "{} {}.",
        t(
            lang,
            "Sosiaalihuollon palveluja valvoo:",
            "Tillsyn över socialvårdens tjänster utövas av:",
            "Social services are supervised by:"
        ),
        authority(&d.social_services_authority, lang)
    );
    b.para(social);

    b.section(
        "Selosteen laatiminen",
        "Beskrivningens upprättande",
        "About this notice",
    );
    b.para(made(d, lang));

    Notice {
        lang,
        title: format!(
            "{}: {}",
            t(
                lang,
                "Tietosuojaseloste",
                "Dataskyddsbeskrivning",
                "Privacy notice"
            ),
            r.name.get(lang)
        ),
        subtitle: t(
            lang,
            "EU:n yleinen tietosuoja-asetus (2016/679), 13 ja 14 artikla",
            "EU:s allmänna dataskyddsförordning (2016/679), artiklarna 13 och 14",
            "EU General Data Protection Regulation (2016/679), Articles 13 and 14",
        ),
        sections: b.sections,
    }
}

/// The record of processing activities of one register (art. 30(1)).
pub fn record_of_processing(
    d: &RegisterDescription,
    r: &Register,
    facts: Facts,
    lang: Lang,
) -> Notice {
    let mut b = Builder {
        lang,
        sections: Vec::new(),
    };
    b.section(
        "Rekisterinpitäjä ja tietosuojavastaava",
        "Personuppgiftsansvarig och dataskyddsombud",
        "Controller and data protection officer",
    );
    let mut lines = controller_lines(d, lang);
    lines.push(person(&d.data_protection_officer, lang));
    b.list(lines);
    b.section(
        "Käsittelyn tarkoitukset",
        "Ändamålen med behandlingen",
        "Purposes of processing",
    );
    b.para(r.purpose.get(lang).to_owned());
    b.section(
        "Rekisteröityjen ryhmät",
        "Kategorier av registrerade",
        "Categories of data subjects",
    );
    b.list(texts(&r.data_subjects, lang));
    b.section(
        "Henkilötietoryhmät",
        "Kategorier av personuppgifter",
        "Categories of personal data",
    );
    b.list(texts(&r.data_content, lang));
    b.section(
        "Vastaanottajien ryhmät",
        "Kategorier av mottagare",
        "Categories of recipients",
    );
    b.list(disclosure_rows(r, lang));
    b.section(
        "Siirrot kolmansiin maihin",
        "Överföringar till tredjeländer",
        "Transfers to third countries",
    );
    b.para(transfers(r, lang));
    b.section(
        "Poistamisen määräajat",
        "Tidsfrister för radering",
        "Time limits for erasure",
    );
    b.list(retention_rows(r, lang));
    b.section(
        "Tekniset ja organisatoriset turvatoimet",
        "Tekniska och organisatoriska säkerhetsåtgärder",
        "Technical and organisational security measures",
    );
    b.list(texts(&r.protection_principles, lang));
    b.para(transport(facts, lang));
    b.section(
        "Selosteen laatiminen",
        "Registerförteckningens upprättande",
        "About this record",
    );
    b.para(made(d, lang));
    Notice {
        lang,
        title: format!(
            "{}: {}",
            t(
                lang,
                "Seloste käsittelytoimista",
                "Register över behandling",
                "Record of processing activities"
            ),
            r.name.get(lang)
        ),
        subtitle: t(
            lang,
            "EU:n yleinen tietosuoja-asetus (2016/679), 30 artikla",
            "EU:s allmänna dataskyddsförordning (2016/679), artikel 30",
            "EU General Data Protection Regulation (2016/679), Article 30",
        ),
        sections: b.sections,
    }
}

/// Every register's notice followed by its record, in one language.
pub fn all(d: &RegisterDescription, facts: Facts, lang: Lang) -> Vec<Notice> {
    d.registers
        .iter()
        .flat_map(|r| {
            [
                privacy_notice(d, r, facts, lang),
                record_of_processing(d, r, facts, lang),
            ]
        })
        .collect()
}

impl Notice {
    /// As Markdown, for the CLI.
    pub fn to_markdown(&self) -> String {
        let mut o = format!("# {}\n\n{}\n", self.title, self.subtitle);
        for s in &self.sections {
            o.push_str(&format!("\n## {}\n", s.heading));
            for b in &s.blocks {
                match b {
                    Block::Para(p) => o.push_str(&format!("\n{p}\n")),
                    Block::List(items) => {
                        o.push('\n');
                        for i in items {
                            o.push_str(&format!("- {i}\n"));
                        }
                    }
                }
            }
        }
        o
    }

    /// Every text of the notice, one line each (for checks).
    pub fn plain_text(&self) -> String {
        self.to_markdown()
    }
}
