//! The confidentiality and user commitment (salassapito- ja
//! käyttäjäsitoumus) that every user accepts before first use (rule 2).
//! A new version must be accepted again; until then every access is denied.

/// The current version. Raise it when the text changes.
pub const VERSION: i32 = 1;

/// Finnish, Swedish and English texts of the current version.
pub const TEXTS: (&str, &str, &str) = (
    "Sitoudun käsittelemään asiakastietoja vain työtehtävieni edellyttämässä laajuudessa ja \
     vain niiden asiakkaiden osalta, joiden asian käsittelyyn osallistun. Tiedän, että kaikki \
     käyttöni kirjataan lokiin, että lokeja valvotaan ja että salassapitovelvollisuus jatkuu \
     palvelussuhteen päätyttyä. En luovuta tunnustani tai salasanaani kenellekään.",
    "Jag förbinder mig att behandla klientuppgifter endast i den omfattning mina arbetsuppgifter \
     kräver och endast för de klienter i vars ärenden jag deltar. Jag vet att all min användning \
     loggas, att loggarna övervakas och att tystnadsplikten fortsätter efter anställningen. Jag \
     lämnar inte ut mitt användarnamn eller lösenord till någon.",
    "I undertake to process client data only as far as my duties require and only for the \
     clients whose matters I take part in. I know that all my use is logged, that the logs are \
     monitored and that my duty of confidentiality continues after my employment ends. I will \
     not give my user id or password to anyone.",
);
