//! Retention periods as data: the rule tables of the Client Data Act
//! 703/2023 (in force) and of the repealed Act on Social Welfare Client
//! Documents 254/2015, each row with the class of documents, the period and
//! the event it runs from. The register's `retention_rule_set` chooses the
//! table; the privacy notice prints the chosen table from here, so that
//! what it says is the table Kirjo holds, not a separate text.

use crate::contact::Lang;
use crate::register::RetentionRuleSet;

/// The event a period runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    ClientDeath,
    MatterClosed,
    /// The last matter closed once the need for the service has ended.
    NeedEnded,
    ChildBirth,
    Event,
    DecisionLapsed,
    ServiceEnded,
    /// Of earlier versions: from the newer version.
    NewerVersion,
    /// Kept permanently (`years` is 0).
    Permanent,
}

/// One row of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    /// The class of documents, in Finnish, Swedish and English.
    pub class: [&'static str; 3],
    pub years: u32,
    pub from: From,
}

impl Rule {
    pub fn class(&self, lang: Lang) -> &'static str {
        self.class[idx(lang)]
    }

    /// The period in words, e.g. "30 vuotta asian päättymisestä".
    pub fn period(&self, lang: Lang) -> String {
        if self.from == From::Permanent {
            return ["pysyvästi", "permanent", "permanently"][idx(lang)].to_owned();
        }
        let from = match self.from {
            From::ClientDeath => [
                "asiakkaan kuolemasta",
                "från klientens död",
                "after the client's death",
            ],
            From::MatterClosed => [
                "asian päättymisestä",
                "från att ärendet avslutats",
                "after the matter closed",
            ],
            From::NeedEnded => [
                "viimeisen asian päättymisestä, kun palvelun tarve on päättynyt",
                "från att det sista ärendet avslutats, när behovet av tjänsten upphört",
                "after the last matter closed, once the need for the service has ended",
            ],
            From::ChildBirth => [
                "lapsen syntymästä",
                "från barnets födelse",
                "from the child's birth",
            ],
            From::Event => ["tapahtumasta", "från händelsen", "from the event"],
            From::DecisionLapsed => [
                "päätöksen voimassaolon päättymisestä",
                "från att beslutet upphört att gälla",
                "after the decision stopped being valid",
            ],
            From::ServiceEnded => [
                "palvelun päättymisestä",
                "från att tjänsten upphört",
                "after the service ended",
            ],
            From::NewerVersion => [
                "uudemman version laatimisesta",
                "från en nyare version",
                "after a newer version",
            ],
            From::Permanent => ["", "", ""],
        };
        let unit = match (lang, self.years) {
            (Lang::Fi, 1) => "vuosi",
            (Lang::Fi, _) => "vuotta",
            (Lang::Sv, _) => "år",
            (Lang::En, 1) => "year",
            (Lang::En, _) => "years",
        };
        format!("{} {unit} {}", self.years, from[idx(lang)])
    }
}

fn idx(lang: Lang) -> usize {
    match lang {
        Lang::Fi => 0,
        Lang::Sv => 1,
        Lang::En => 2,
    }
}

/// The use and disclosure logs' rule, the same in both tables.
pub const LOGS: Rule = Rule {
    id: "logs",
    class: [
        "Käyttö- ja luovutuslokit sekä luovutusilmoitukset",
        "Användnings- och utlämnandeloggar samt meddelanden om utlämnande",
        "Use and disclosure logs and disclosure notices",
    ],
    years: 12,
    from: From::Event,
};

/// The annex of 703/2023, social welfare part, as enacted.
pub const CLIENT_DATA_ACT_2023: &[Rule] = &[
    Rule {
        id: "client_relationship",
        class: [
            "Asiakkuusasiakirja ja asiakkaan perustiedot",
            "Klientrelationshandling och klientens basuppgifter",
            "Client relationship document and basic data",
        ],
        years: 2,
        from: From::ClientDeath,
    },
    Rule {
        id: "families",
        class: [
            "Lapsiperheiden palvelut",
            "Tjänster för barnfamiljer",
            "Services for families with children",
        ],
        years: 30,
        from: From::MatterClosed,
    },
    Rule {
        id: "adults",
        class: [
            "Työikäisten, iäkkäiden ja päihdehuollon palvelut",
            "Tjänster för personer i arbetsför ålder, äldre och missbrukarvård",
            "Working-age, older people's and substance abuse services",
        ],
        years: 10,
        from: From::MatterClosed,
    },
    Rule {
        id: "disability",
        class: ["Vammaispalvelut", "Handikappservice", "Disability services"],
        years: 10,
        from: From::NeedEnded,
    },
    Rule {
        id: "child_welfare",
        class: ["Lastensuojelu", "Barnskydd", "Child welfare"],
        years: 2,
        from: From::ClientDeath,
    },
    Rule {
        id: "family_law_child",
        class: [
            "Perheoikeudelliset palvelut, lasta koskevat asiat",
            "Familjerättsliga tjänster, ärenden som gäller barn",
            "Family law services, matters about a child",
        ],
        years: 120,
        from: From::ChildBirth,
    },
    Rule {
        id: "family_law_other",
        class: [
            "Perheoikeudelliset palvelut, muut asiat",
            "Familjerättsliga tjänster, övriga ärenden",
            "Family law services, other matters",
        ],
        years: 10,
        from: From::MatterClosed,
    },
    Rule {
        id: "receipts",
        class: ["Kuitit", "Kvitton", "Receipts"],
        years: 3,
        from: From::Event,
    },
    Rule {
        id: "fees_income",
        class: [
            "Asiakasmaksupäätökset ja tuloasiakirjat",
            "Klientavgiftsbeslut och inkomsthandlingar",
            "Client fee decisions and income documents",
        ],
        years: 12,
        from: From::DecisionLapsed,
    },
    Rule {
        id: "correspondence",
        class: [
            "Asiakkaan kanssa käyty viestinvaihto",
            "Korrespondens med klienten",
            "Client correspondence",
        ],
        years: 3,
        from: From::Event,
    },
    Rule {
        id: "statements_for_others",
        class: [
            "Muille annettujen lausuntojen jäljennökset",
            "Kopior av utlåtanden till andra",
            "Copies of statements made for others",
        ],
        years: 5,
        from: From::Event,
    },
    LOGS,
    Rule {
        id: "consents",
        class: [
            "Luovutusluvat, suostumukset ja kiellot: viimeisin versio",
            "Utlämnandetillstånd, samtycken och förbud: den senaste versionen",
            "Disclosure permissions, consents and prohibitions: the latest version",
        ],
        years: 12,
        from: From::ClientDeath,
    },
    Rule {
        id: "consents_earlier",
        class: [
            "Luovutusluvat, suostumukset ja kiellot: aiemmat versiot",
            "Utlämnandetillstånd, samtycken och förbud: tidigare versioner",
            "Disclosure permissions, consents and prohibitions: earlier versions",
        ],
        years: 12,
        from: From::NewerVersion,
    },
];

/// The annex of the repealed 254/2015, as the 2018 notices quote it.
pub const CLIENT_DOCUMENTS_ACT_2015: &[Rule] = &[
    Rule {
        id: "social_welfare_act",
        class: [
            "Sosiaalihuoltolain palvelut, kotipalvelu, omaishoidon tuki",
            "Tjänster enligt socialvårdslagen, hemservice, stöd för närståendevård",
            "Social Welfare Act services, home service, informal care support",
        ],
        years: 30,
        from: From::ServiceEnded,
    },
    Rule {
        id: "income_support",
        class: ["Toimeentulotuki", "Utkomststöd", "Income support"],
        years: 12,
        from: From::ServiceEnded,
    },
    Rule {
        id: "family_counselling",
        class: [
            "Kasvatus- ja perheneuvonta",
            "Uppfostrings- och familjerådgivning",
            "Educational and family counselling",
        ],
        years: 120,
        from: From::ChildBirth,
    },
    Rule {
        id: "child_welfare_notifications",
        class: [
            "Lastensuojeluilmoitukset",
            "Barnskyddsanmälningar",
            "Child welfare notifications",
        ],
        years: 30,
        from: From::Event,
    },
    Rule {
        id: "integration",
        class: ["Kotoutuminen", "Integration", "Integration"],
        years: 0,
        from: From::Permanent,
    },
    LOGS,
];

/// The table of a rule set.
pub fn rules(set: RetentionRuleSet) -> &'static [Rule] {
    match set {
        RetentionRuleSet::ClientDataAct2023 => CLIENT_DATA_ACT_2023,
        RetentionRuleSet::ClientDocumentsAct2015 => CLIENT_DOCUMENTS_ACT_2015,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_in_each_language() {
        let r = rules(RetentionRuleSet::ClientDataAct2023);
        let families = r.iter().find(|r| r.id == "families").map(|r| r.years);
        assert_eq!(families, Some(30));
        assert_eq!(LOGS.period(Lang::Fi), "12 vuotta tapahtumasta");
        assert_eq!(LOGS.period(Lang::Sv), "12 år från händelsen");
        assert_eq!(LOGS.period(Lang::En), "12 years from the event");
    }
}
