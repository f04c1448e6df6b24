# Kirjo: sivujen tekstit suomeksi. Jokainen avain on myös tiedostoissa sv.ftl ja en.ftl.

## Kehys
skip-to-content = Siirry sisältöön
service-name = Sosiaalihuollon asiakastiedot
language-nav = Kieli
main-nav = Päävalikko
sign-out = Kirjaudu ulos
footer-text = Kirjo – sosiaalihuollon asiakastietojärjestelmä. Tiedot ovat salassa pidettäviä (laki sosiaalihuollon asiakkaan asemasta ja oikeuksista 14 §).
back-to-start = Etusivulle
notice = Tiedote
saved = Tallennettu.
save = Tallenna
continue = Jatka
search = Hae

## Valikko
nav-clients = Omat asiakkaat
my-clients-intro = Asiakkuudet, joissa olet vastuutyöntekijä tai työryhmässä. Luettelon katselu kirjataan lokiin.
my-clients-none = Sinulla ei ole voimassa olevia asiakkuuksia.
my-clients-since = Alkaen
my-clients-role = Tehtäväsi
my-clients-responsible = Vastuutyöntekijä
my-clients-team = Työryhmässä
nav-my-work = Oma työ
nav-search = Asiakashaku
nav-supervision = Esihenkilö
nav-administration = Pääkäyttäjä
nav-data-protection = Tietosuoja

## Roolit
role-client_worker = Asiakastyöntekijä
role-unit_supervisor = Yksikön esihenkilö
role-registry_clerk = Kirjaamo
role-main_administrator = Pääkäyttäjä
role-data_protection_officer = Tietosuojavastaava
role-provider_worker = Ostopalvelun työntekijä

## Virheet
error-title = Virhe
error-forbidden = Ei käyttöoikeutta
error-not-found = Sivua ei löydy
error-not-found-text = Etsimääsi sivua ei ole.
error-too-many = Liian monta yritystä
error-denied = Sinulla ei ole oikeutta tähän tietoon tai toimintoon. Yritys on kirjattu lokiin.
error-detail = Järjestelmän peruste (englanniksi):
error-no-client = Asiakasta ei löydy.
error-internal = Jotain meni vikaan. Mitään ei tallennettu. Yritä uudelleen; jos virhe toistuu, ota yhteys pääkäyttäjään.

## Kirjautuminen
sign-in-title = Kirjaudu sisään
sign-in = Kirjaudu
sign-in-hint = Käytä omaa henkilökohtaista tunnustasi. Tunnusta ei saa luovuttaa toiselle.
sign-in-missing = Anna käyttäjätunnus ja salasana.
sign-in-wrong = Käyttäjätunnus tai salasana on väärin.
sign-in-locked = Liian monta epäonnistunutta yritystä. Kirjautuminen on estetty hetkeksi; yritä myöhemmin uudelleen.
signed-out = Olet kirjautunut ulos.
session-ended = Istuntosi päättyi. Kirjaudu uudelleen.
resume-title = Istuntosi päättyi: lähettämäsi tiedot ovat tallessa
resume-lead = Kirjaudu uudelleen tällä sivulla, niin lähettämäsi lomake tallennetaan kuten se olisi tallentunut ilman katkosta. Tiedot ovat vain tällä selaimen sivulla: älä sulje sitä.
resume-code-lead = Salasana oli oikein. Anna vielä kertakoodi, niin lähettämäsi lomake tallennetaan.
resume-send = Kirjaudu ja tallenna
resume-other-user = Tämän lomakkeen täytti toinen käyttäjä. Vain hän voi tallentaa sen kirjautumalla omalla tunnuksellaan.
resume-hint = Jos et halua tallentaa lomaketta, sulje sivu: tietoja ei ole tallennettu minnekään muualle.
username = Käyttäjätunnus
password = Salasana

## Toinen tunnistautumistekijä
second-factor-title = Vahvista kirjautuminen
second-factor-intro = Anna todennussovelluksesi näyttämä kuusinumeroinen koodi.
code = Koodi
code-help = Jos sovellus ei ole käytettävissä, anna jokin varakoodeistasi.
code-wrong = Koodi on väärä tai jo käytetty. Tarkista koodi ja yritä uudelleen.
code-too-many = Liian monta väärää koodia. Istunto päättyi; kirjaudu uudelleen.
enrol-title = Ota käyttöön todennussovellus
enrol-required = Roolisi edellyttää kaksivaiheista tunnistautumista. Ota todennussovellus käyttöön jatkaaksesi.
enrol-step-scan = Lue QR-koodi todennussovelluksella (esimerkiksi Google Authenticator, Microsoft Authenticator tai FreeOTP).
enrol-qr-label = QR-koodi todennussovellukselle
enrol-step-type = Jos et voi lukea koodia, kirjoita sovellukseen tämä avain:
enrol-step-code = Anna sovelluksen näyttämä kuusinumeroinen koodi
enrol-confirm = Vahvista
recovery-title = Varakoodit
recovery-intro = Säilytä nämä koodit turvallisessa paikassa. Kutakin voi käyttää kerran, jos todennussovellus ei ole käytettävissä. Koodit näytetään vain nyt.
recovery-left = { $count ->
    [one] { $count } varakoodi jäljellä
   *[other] { $count } varakoodia jäljellä
}

## Salasana
password-title = Vaihda salasana
password-forced = Salasanasi on vaihdettava ennen kuin voit jatkaa.
password-rules = Salasanassa on oltava vähintään 12 merkkiä. Yleisiä tai vuotaneita salasanoja ei hyväksytä. Pitkä lause on hyvä salasana.
password-current = Nykyinen salasana
password-new = Uusi salasana
password-repeat = Uusi salasana uudelleen
password-mismatch = Salasanat eivät ole samat.
reauth-title = Vahvista henkilöllisyytesi
reauth-intro = Tämä toiminto edellyttää, että annat salasanasi uudelleen.
reauth-wrong = Salasana tai koodi on väärä.
reauth-code = Todennuskoodi
reauth-code-hint = Päätöksen tekeminen vaatii myös todennussovelluksen koodin. Muihin toimiin riittää salasana.

## Etusivu
start-greeting = Hei, { $name }
start-roles = Käyttöoikeutesi
start-no-roles = Sinulla ei ole voimassa olevia käyttöoikeuksia. Ota yhteys esihenkilöösi.
commitment-title = Käyttäjäsitoumus
commitment-accept = Hyväksyn käyttäjäsitoumuksen
commitment-changed = Käyttäjäsitoumus on muuttunut. Lue uusi versio ja hyväksy se.

## Oma tili
account-title = Omat tiedot
account-second-factor = Kaksivaiheinen tunnistautuminen
account-second-factor-on = Käytössä
account-second-factor-off = Ei käytössä
account-enrol = Ota todennussovellus käyttöön
account-replace-second-factor = Vaihda todennussovellus

## Haku
search-outside = Hae asiakkuuksiesi ulkopuolelta
search-outside-intro = Jos asia on kiireellinen eikä asiakkaan oma työntekijä ole tavoitettavissa, voit hakea palvelualueelta, joka sen sallii, kun kerrot käyttötarkoituksen. Haku ja käyttötarkoitus kirjataan, ja tietosuojavastaava tarkastaa ne.
search-outside-go = Hae käyttötarkoituksella
search-title = Hae asiakasta
search-help = Hae nimellä, henkilötunnuksella tai syntymäajalla. Jokainen haku kirjataan lokiin.
search-name = Nimi
search-birth-date = Syntymäaika (pp.kk.vvvv)
search-results = { $count ->
    [0] Ei hakutuloksia
    [one] { $count } hakutulos
   *[other] { $count } hakutulosta
}
search-bad-date = Syntymäaika ei kelpaa. Kirjoita se muodossa 1.2.2015.
search-bad-code = Henkilötunnus ei kelpaa: { $reason }
search-empty = Anna nimi, henkilötunnus tai syntymäaika.

## Asiakas
relation-scope = tehtävä: { $scope }
relation-access-yes = tapaamisoikeus
relation-access-no = ei tapaamisoikeutta
relation-since = { $date } alkaen
relation-until = { $date } asti
source-vtj = väestötietojärjestelmästä
source-client = asiakkaan ilmoittama
source-worker = työntekijän kirjaama
cancel = Peruuta
client-edit = Muokkaa perustietoja
client-revealed = Turvakiellon alaiset tiedot näytetty perusteella: { $reason }. Katselu on kirjattu lokiin.
reveal = Näytä turvakiellon alaiset tiedot
reveal-reason = Peruste tietojen näyttämiselle
reveal-reason-missing = Kirjoita peruste turvakiellon alaisten tietojen näyttämiselle.
form-new-title = Lisää henkilö
form-edit-title = Muokkaa perustietoja
form-errors = Korjaa lomakkeen virheet. Mitään ei tallennettu.
form-protected = Henkilöllä on turvakielto: osoite- ja yhteystietoja ei näytetä eikä muuteta tällä lomakkeella.
form-group-identity = Henkilö
form-group-other = Muut tiedot
form-identity-code-hint = Jos henkilöllä ei ole henkilötunnusta, anna syntymäaika.
form-birth-date-hint = Vain jos henkilötunnusta ei ole.
form-citizenship-hint = Maakoodit pilkulla eroteltuina, esimerkiksi FI, SE.
form-one-per-line = Yksi kullekin riville.
form-street = Katuosoite
form-postal-code = Postinumero
form-post-office = Postitoimipaikka
form-address-municipality = Osoitteen kunta
field-first-names = Etunimet
field-surname = Sukunimi
field-name = Nimi
field-identity-code = Henkilötunnus
field-birth-date = Syntymäaika
field-calling-name = Kutsumanimi
field-mother-tongue = Äidinkieli
field-service-language = Asiointikieli
field-occupation = Ammatti
field-workplace = Työpaikka
field-citizenship = Kansalaisuus
field-home-municipality = Kotikunta
field-phone = Puhelin
field-email = Sähköposti
field-none = Ei tietoja
address-permanent = Vakinainen osoite
address-temporary = Tilapäinen osoite
address-postal = Postiosoite
client-protected = Turvakielto: osoite- ja yhteystiedot on piilotettu.
client-deceased = Kuollut { $date }
client-basic = Perustiedot
client-contact = Yhteystiedot
client-contact-protected = Tiedot ovat turvakiellon alaisia. Ne näytetään vain perustellusta syystä, ja katselu kirjataan.
client-family = Perhe ja edustajat
client-relationships = Asiakkuudet
client-area = Palvelualue
client-unit = Yksikkö
client-period = Ajalla
client-worker = Vastuutyöntekijä
client-access = Käyttöperuste:
relation-guardian = Huoltaja
relation-parent_without_custody = Vanhempi (ei huoltaja)
relation-legal_representative = Laillinen edustaja
relation-authorised_person = Valtuutettu
relation-next_of_kin = Lähiomainen
relation-contact_person = Yhteyshenkilö
relation-household_member = Samassa taloudessa asuva
purpose-title = Käyttötarkoitus
purpose-intro = Sinulla ei ole asiakkuutta tähän asiakkaaseen. Voit avata tiedot vain, jos kerrot käyttötarkoituksen. Tarkoitus ja katselu kirjataan, ja tietosuojavastaava tarkastaa ne.
purpose-choose = Miksi avaat asiakkaan tiedot?
purpose-text = Perustelu omin sanoin
purpose-open = Avaa asiakkaan tiedot
purpose-missing = Valitse käyttötarkoitus ja kirjoita perustelu.
purpose-refused = Valittu käyttötarkoitus ei avaa tämän asiakkaan tietoja. Yritys on kirjattu lokiin.

## Käyttöoikeudet
proposals-title = Käyttöoikeusehdotukset
proposals-none = Ei ehdotuksia.
proposal-kind = Ehdotus
proposal-user = Käyttäjä
proposal-role = Rooli
proposal-valid = Voimassa
proposal-reason = Perustelu
proposal-status = Tila
proposal-open = Odottaa päätöstä
proposal-approved = Hyväksytty
proposal-rejected = Hylätty
proposal-kind-grant = Uusi oikeus
proposal-kind-change = Muutos
proposal-kind-remove = Poisto
decision-reason = Päätöksen perustelu
decision-approve = Hyväksy
decision-reject = Hylkää
decision-reason-missing = Kirjoita päätökselle perustelu.

## Tietosuoja
flags-title = Tarkastettavat käytöt
flags-none = Ei tarkastettavia käyttöjä.
flag-when = Aika
flag-kind = Syy
flag-user = Käyttäjä
flag-client = Asiakas
flag-explanation = Peruste
flag-review = Tarkastus
flag-outcome = Tulos
flag-outcome-justified = Perusteltu
flag-outcome-needs_investigation = Selvitettävä
flag-outcome-misuse_suspected = Epäily väärinkäytöstä
flag-note = Muistiinpano
flag-count = Käyttöjä
flag-rows = Lokirivit
flags-grouped = Käyttäjän saman päivän samasta syystä merkityt käytöt ovat yksi rivi, joka tarkastetaan kerralla.
flag-outside_relationship = Asiakkuuden ulkopuolinen käyttö
flag-turvakielto = Turvakieltoasiakas
flag-own_family = Oma perhe
flag-same_surname = Sama sukunimi
flag-same_address = Sama osoite
flag-many_clients_in_hour = Monta asiakasta tunnissa
flag-outside_working_hours = Työajan ulkopuolella
review-bad = Valitse tarkastuksen tulos.
review-note-missing = Kirjoita tarkastuksesta muistiinpano.

## Saavutettavuusseloste
a11y-title = Saavutettavuusseloste
a11y-intro = Tämä seloste koskee Kirjo-asiakastietojärjestelmän henkilöstön sivuja. Laki digitaalisten palvelujen tarjoamisesta (306/2019) edellyttää, että julkisen palvelun verkkosivut ovat saavutettavia.
a11y-status-title = Saavutettavuuden tila
a11y-status = Sivut on tehty täyttämään WCAG 2.1 -ohjeiden AA-tason vaatimukset. Kaikki toiminnot toimivat näppäimistöllä ja ilman JavaScriptiä, ja sivut toimivat 200 %:n suurennuksella.
a11y-tested-title = Miten saavutettavuus on tarkastettu
a11y-tested = Jokainen sivu tarkastetaan automaattisesti axe-core-työkalulla jokaisen muutoksen yhteydessä.
a11y-feedback-title = Palaute
a11y-feedback = Jos huomaat saavutettavuuspuutteen, kerro siitä organisaatiosi pääkäyttäjälle.
a11y-authority-title = Valvontaviranomainen
a11y-authority = Jos et saa vastausta 14 päivässä, voit tehdä ilmoituksen digitaalisen saavutettavuuden valvontaviranomaiselle. Ajantasaiset yhteystiedot ovat osoitteessa www.saavutettavuusvaatimukset.fi.

## Log
log-client-title = Lokiote, asiakas { $id }
log-client-intro = Kuka on käyttänyt asiakkaan tietoja, milloin, mitä ja mihin tarkoitukseen, sekä kenelle tietoja on luovutettu. Otteen tekeminen kirjataan lokiin.
log-from = Alkaen
log-to = Päättyen
log-show = Näytä
log-csv = Lataa CSV-tiedostona
log-uses = { $count ->
    [0] Ei käyttöjä
    [one] { $count } käyttö
   *[other] { $count } käyttöä
}
log-disclosures = { $count ->
    [0] Ei luovutuksia
    [one] { $count } luovutus
   *[other] { $count } luovutusta
}
log-action = Toiminto
log-data = Tieto
log-purpose = Käyttötarkoitus
log-result = Tulos
log-allowed = Sallittu
log-denied = Estetty
log-recipient = Vastaanottaja
log-basis = Peruste
log-bad-period = Ajanjakso ei kelpaa: anna päivämäärät, ja alku ennen loppua.
trail-title = Omat käyttöni
trail-intro = Kaikki, mitä nimissäsi on kirjattu käyttölokiin.
extract-title = Lokiote rekisteröidylle
extract-intro = Tarkastusoikeuspyyntöä varten: anna henkilötunnus, niin näet, kuka henkilön tietoja on käyttänyt. Haku ja ote kirjataan lokiin.
extract-make = Tee lokiote
samples-title = Pistokokeet
samples-intro = Satunnainen otos yksikön käyttäjien asiakastietojen käytöistä tarkastettavaksi. Jokaisen tarkastuksen tulos kirjataan.
samples-none = Ei pistokokeita.
sample-size = Otoksen koko
sample-draw = Poimi otos
sample-bad-size = Otoksen koon on oltava 1–500.
sample-title = Pistokoe, yksikkö { $unit }
sample-intro = Tarkasta jokainen käyttö: oliko sille peruste?
sample-empty = Ajanjaksolla ei ollut käyttöjä.
sample-progress = tarkastettu { $done }

## Documents
documents-title = Asiakirjat
band-label = Asiakas
band-age-label = Ikä
band-age = { $years } v
band-deceased = kuollut
band-protected = Turvakielto
documents-of = Asiakirjat – { $name }
person-added = Henkilö on tallennettu. Hänen tietonsa eivät avaudu sinulle, koska hänellä ei ole asiakkuutta yksikössäsi; voit lisätä seuraavan henkilön.
documents-back = Asiakkaan perustiedot
documents-filter = Palvelualue
documents-all = Kaikki
documents-none = Ei asiakirjoja, joita voit nähdä.
documents-document = Asiakirja
documents-corrected = korjattu
narrative-new = Uusi asiakaskertomusmerkintä
narrative-edit = Muokkaa luonnosta
narrative-correct = Korjaa asiakirjaa
narrative-correct-intro = Korjaus tallentuu uutena versiona. Alkuperäinen säilyy, ja historiassa näkyy, kuka korjasi, milloin ja miksi.
narrative-entry = Merkinnän laji
narrative-date = Päivämäärä
date-invalid = Päivämäärä ei ole luettavissa; näytetään kirjoitusaika:
narrative-text = Merkintä
narrative-agreed = Sovitut asiat
narrative-agreed-hint = Tapaamisissa ja neuvotteluissa: mitä sovittiin ja kuka tekee mitä.
narrative-reason = Korjauksen syy
narrative-reason-missing = Kerro, miksi asiakirjaa korjataan.
narrative-save-draft = Tallenna luonnos
narrative-save-correction = Tallenna korjaus
doc-client = Asiakas
doc-organiser = Palvelun järjestäjä
doc-producer = Palvelun tuottaja
doc-author = Laatija
doc-created = Laadittu
doc-definition = Kansallinen määrittely
doc-metadata = Asiakirjan tiedot
doc-complete = Valmis: lukitse asiakirja
doc-save-and-complete = Valmis: tallenna ja lukitse
complete-confirm-title = Lukitaanko asiakirja?
complete-confirm-lead = Luonnos on tallennettu tällaisena. Valmista asiakirjaa ei voi enää muokata: sen voi vain korjata uudeksi versioksi, ja korjaus näkyy historiassa.
complete-confirm = Lukitse asiakirja
complete-keep-editing = Jatka muokkausta
discard-confirm-title = Hylätäänkö luonnos?
discard-confirm-lead = Hylätty luonnos poistuu aikajanalta ja omista luonnoksistasi, eikä sitä voi palauttaa muokattavaksi. Hylkääminen kirjataan lokiin.
doc-discard = Hylkää luonnos
doc-history = Versiot
doc-version = Versio { $n }
doc-corrected-because = korjattu, koska: { $reason }
doc-superseded = Tästä versiosta on uudempi korjattu versio.
doc-state-draft = Luonnos
doc-state-completed = Valmis
doc-state-discarded = Hylätty
narrative-task = Palvelutehtävä
notification-new = Uusi lastensuojeluilmoitus
notification-what = Ilmoitus
notification-handling = Käsittely
notification-received = Saapunut
notification-reporter = Ilmoittaja
notification-reporter-who = Ilmoittajan tiedot
notification-reporter-first-names = Ilmoittajan etunimet
notification-reporter-surname = Ilmoittajan sukunimi
notification-reporter-title = Ilmoittajan tehtävänimike
notification-reporter-organisation = Ilmoittajan organisaatio
notification-channel = Miten saapui
notification-content = Asiasisältö
notification-urgency = Kiireellisyyden arvio
notification-urgency-note = Arvion perustelut
notification-decision = Päätös palvelutarpeen arvioinnin aloittamisesta
notification-decided-on = Päätöksen päivämäärä
notification-reasons = Perustelut, jos arviointia ei aloiteta
notification-child-told = Lapselle kerrottu
notification-guardian-told = Huoltajalle kerrottu
notification-deadlines = Määräajat
notification-start-due = Päätös arvioinnin aloittamisesta viimeistään
notification-completion-due = Arviointi valmis viimeistään
notification-late = Myöhässä
reporter-professional = Ammattihenkilö (ilmoitusvelvollinen)
reporter-private_person = Yksityishenkilö
reporter-anonymous = Nimetön
channel-phone = Puhelimitse
channel-letter = Kirjeellä
channel-electronic = Sähköisesti
channel-in_person = Henkilökohtaisesti
urgency-immediate = Lapsi tarvitsee välitöntä suojelua
urgency-not_immediate = Ei välitöntä suojelun tarvetta
decision-start = Arviointi aloitetaan
decision-not_started = Arviointia ei aloiteta
deadlines-title = Lastensuojeluilmoitusten määräajat
deadlines-open = Ei vielä päätöstä
guardian-request = Huoltajan tietopyyntö
guardian-answer-for = Huoltaja: { $name }
guardian-withheld = Lapsi on kieltänyt tietojensa antamisen huoltajalle, ja kielto on hyväksytty. Huoltajalle ei anneta lapsen asiakirjoja. Tarkastelu on kirjattu lokiin.
guardian-may-give = Nämä valmiit asiakirjat voidaan antaa huoltajalle. Luovutus on kirjattu luovutuslokiin.
prohibition-title = Alaikäisen kielto antaa tietoja huoltajalle
prohibition-intro = Alaikäinen voi kieltää tietojensa antamisen huoltajalleen, jos hän ikänsä ja kehitystasonsa perusteella kykenee arvioimaan asian merkityksen eikä kielto ole hänen etunsa vastainen. Kirjaa kielto ja perustelut, tai syy, miksi kieltoa ei hyväksytty.
prohibition-accepted = Kielto hyväksytty
prohibition-not-accepted = Kieltoa ei hyväksytty
prohibition-made-on = Kielto esitetty
prohibition-decision = Ratkaisu
prohibition-reason = Perustelut
prohibition-record = Kirjaa kielto
doc-files = Liitteet
doc-checksum = tarkiste
file-add = Lisää liite
file-choose = Tiedosto
file-hint = PDF, JPEG, PNG tai tekstitiedosto, enintään 10 Mt. Liite tallentuu luonnokseen ja lukitaan sen mukana, kun asiakirja valmistuu.
file-send = Liitä tiedosto
file-none = Valitse liitettävä tiedosto.
file-empty = Tiedosto on tyhjä.
file-too-large = Tiedosto on suurempi kuin 10 Mt.
file-type = Tätä tiedostotyyppiä ei voi liittää. Sallitut: PDF, JPEG, PNG ja tekstitiedosto.
file-mismatch = Tiedoston sisältö ei vastaa sen tyyppiä ({ $type }). Tallenna tiedosto uudelleen oikeassa muodossa.
file-name = Tiedoston nimi puuttuu, on liian pitkä (yli 200 merkkiä) tai sisältää merkkejä, joita nimessä ei voi olla (/, \ tai ohjausmerkki). Nimeä tiedosto uudelleen.
file-broken = Lomaketta ei voitu lukea. Yritä uudelleen.

# Form kinds of documents
doc-new = Uusi asiakirja: { $kind }
doc-content = Sisältö
doc-new-kind = Uusi asiakirja
documents-kind = Asiakirjan laji
form-required-note = Tähdellä (*) merkityt tiedot ovat pakollisia; kahdella tähdellä (**) merkityt tarvitaan ennen kuin asiakirja merkitään valmiiksi.
parties-legend = Tiedoksianto asianosaisille
parties-hint = Kirjaa jokainen asianosainen, jolle päätös annetaan tiedoksi, tiedoksiantotapa ja päivä, jona päätös annettiin tiedoksi. Tyhjät rivit jätetään pois.
parties-row = Asianosainen { $n }
parties-name = Asianosaisen { $n } nimi
parties-method = Asianosaisen { $n } tiedoksiantotapa
parties-served-on = Asianosaisen { $n } tiedoksiantopäivä
parties-party = Asianosainen
parties-how = Tapa
parties-when = Annettu tiedoksi
parties-not-served = ei vielä
documents-show = Näytä
prohibition-covers = Koskee asiakirjoja { $documents }
prohibition-back = Takaisin asiakkaan tietoihin
prohibition-scope = Mitä asiakirjoja kielto koskee
prohibition-scope-all = Kaikkia lapsen asiakirjoja
prohibition-scope-some = Vain alla merkittyjä asiakirjoja ja niiden korjauksia
prohibition-documents = Merkittävät asiakirjat
prohibition-documents-help = Luettelossa ovat lapsen asiakirjat niiltä palvelualoilta, joilla lapsi on asiakkaanasi. Jos kielto koskee vain osaa asiakirjoista, merkitse ne; kielto koskee myös niiden myöhempiä korjauksia.
prohibition-end = Päätä kielto
prohibition-ended-on = Kielto päättyy
prohibition-end-reason = Päättymisen syy
prohibition-end-conflict = Lapsella ei ole tällaista voimassa olevaa kieltoa ennen tuota päivää.
prohibition-assessment = Arvio
prohibition-assessment-help = Kielto hyväksytään vain, jos lapsi ikänsä ja kehitystasonsa perusteella kykenee arvioimaan sen merkityksen, hänellä on painava syy eikä kielto ole selvästi hänen etunsa vastainen. Lapsen ikä lasketaan syntymäajasta.
prohibition-age-and-maturity = Lapsen ikä ja kehitystaso
prohibition-age-and-maturity-help = Miten arvioit lapsen kyvyn ymmärtää kiellon merkityksen.
prohibition-mature-enough = Kykeneekö lapsi ikänsä ja kehitystasonsa perusteella arvioimaan kiellon merkityksen?
prohibition-weighty-reason = Lapsen esittämä painava syy
prohibition-against-interest = Onko kielto selvästi lapsen edun vastainen?
prohibition-child-told-on = Päivä, jona lapselle kerrottiin ratkaisusta
prohibition-dates-help = Kielto kirjataan sinä päivänä, jona se tehdään: päivämäärä ei voi olla ennen tätä päivää.
prohibition-yes = Kyllä
prohibition-no = Ei
prohibition-date-past = Päivämäärä ei voi olla ennen tätä päivää: kieltoa ei kirjata takautuvasti.
prohibition-end-past = Päättymispäivä ei voi olla ennen tätä päivää: päättymistä ei kirjata takautuvasti.
prohibition-told-before-made = Lapselle ei ole voitu kertoa ratkaisusta ennen kuin kielto on esitetty.
prohibition-accepted-against-interest = Kieltoa, joka on selvästi lapsen edun vastainen, ei voi hyväksyä.
prohibition-accepted-not-mature = Kiellon voi hyväksyä vain, jos lapsi ikänsä ja kehitystasonsa perusteella kykenee arvioimaan sen merkityksen.
prohibition-text-unusable = Tekstissä on merkkejä, joita ei voi tallentaa.
prohibition-age = { $age }-vuotias
pager-rows = Rivit { $first }–{ $last } / { $total }
pager-pages = Sivut
pager-previous = Edelliset
pager-next = Seuraavat
pager-bad-page = Sivun numero on kokonaisluku 1 tai suurempi.

## Matters
nav-matters = Asiat
client-matters = Asiat
matters-title = Asiakkaan asiat
matter-title = Asia
matter-back-to-client = Asiakkaan tiedot
matters-none = Asiakkaalla ei ole asioita palvelualueilla, joilla sinulla on hänet.
matter-open = Avaa asia
matter-open-hint = Asia tulee vireille ilmoituksesta, pyynnöstä, yhteydenotosta tai hakemuksesta. Jos asiakkaalla on jo avoin asia samalla palvelualueella, asiakirja liitetään siihen eikä uusia määräaikoja ala.
matter-task = Palvelutehtävä
matter-choose = Valitse
matter-started-by = Miten asia tuli vireille
matter-started-on = Vireilletulopäivä
matter-started-on-hint = Päivä, jona ilmoitus, pyyntö tai yhteydenotto saapui. Sitä päivää ei lasketa määräaikaan.
matter-document = Asiakirja, jolla asia tuli vireille
matter-no-document = Ei asiakirjaa
matter-highest-care-allowance = Asiakas saa ylintä hoitotukea (sosiaalihuoltolaki 36 §)
matter-closed-on = päättynyt { $date }
matter-rule = Määräajat
matter-start-deadline = Arvioinnin aloittaminen (7 arkipäivää)
matter-completion-deadline = Arvion valmistuminen (3 kuukautta)
matter-days-open = Päiviä vireilläolosta
matter-steps = Käsittelyn vaiheet
matter-no-steps = Vaiheita ei ole vielä kirjattu.
matter-step = Vaihe
matter-step-on = Päivä
matter-outcome = Tulos
matter-recorded-by = Kirjannut
matter-documents = Asian asiakirjat
matter-no-documents = Asiaan ei ole liitetty asiakirjoja.
matter-record-step = Kirjaa vaihe
matter-record = Kirjaa
matter-responsible = Vastuutyöntekijä
matters-open-title = Avoimet asiat
matters-open-hint = Myöhässä olevat ensin, sitten lähimmän määräajan mukaan.
matters-mine = Omat asiani
matters-none-open = Ei avoimia asioita.
matters-units = Yksikön asiat
matters-per-worker = Työntekijöittäin
matters-open-count = Avoimia
matters-chart-heading = Määräajat kuukausittain
matters-chart-description = Ajallaan ja myöhässä tehdyt sen kuukauden mukaan, jolloin määräaika päättyi, viimeiset 12 kuukautta, valvomiesi yksiköiden asioista. Myöhässä-pylväät ovat viivoitettuja.
matters-chart-start = Päätös selvityksen aloittamisesta 7 arkipäivässä
matters-chart-completion = Palvelutarpeen arviointi valmis 3 kuukaudessa
matters-chart-on-time = Ajallaan
matters-chart-month = Kuukausi
matters-chart-table = Luvut taulukkona: { $title }
matters-late-count = Myöhässä
matter-started-by-child_welfare_notification = Lastensuojeluilmoitus
matter-started-by-assessment_request = Pyyntö lastensuojelutarpeen selvittämiseksi
matter-started-by-anticipatory_notification = Ennakollinen lastensuojeluilmoitus
matter-started-by-other_contact = Muu yhteydenotto
matter-started-by-application = Hakemus
matter-rule-child_welfare = Lapsen asia: arvioinnin aloittamisesta päätetään viimeistään 7. arkipäivänä ja arvio valmistuu 3 kuukaudessa (lastensuojelulaki 26 §, sosiaalihuoltolaki 36 §).
matter-rule-adult_priority = Arviointi aloitetaan viimeistään 7. arkipäivänä (sosiaalihuoltolaki 36 §: 75 vuotta täyttänyt tai ylintä hoitotukea saava).
matter-rule-none = Ei lakisääteistä määräaikaa: arviointi tehdään ilman aiheetonta viivytystä.
matter-phase-urgency_assessed = Kiireellisyyden arviointi
matter-phase-assessment_decided = Päätös arvioinnin aloittamisesta
matter-phase-informed = Lapselle ja huoltajalle ilmoitettu
matter-phase-assessment_completed = Palvelutarpeen arviointi valmis
matter-phase-closed = Asia päättynyt
matter-phase-urgency_assessed-hint = Lapsen kiireellisen avun tarve arvioidaan välittömästi.
matter-phase-assessment_decided-hint = Sosiaalityöntekijä päättää viimeistään 7. arkipäivänä, aloitetaanko palvelutarpeen arviointi.
matter-phase-informed-hint = Lapselle ja huoltajalle kerrotaan ilmoituksen saapumisesta 7 arkipäivän kuluessa.
matter-phase-assessment_completed-hint = Arvio valmistuu viimeistään 3 kuukauden kuluessa vireilletulosta.
matter-phase-closed-hint = Asian päättyminen ja sen syy. Päättymisen jälkeen vaiheita ei voi kirjata.
matter-outcome-urgent = Kiireellinen
matter-outcome-not_urgent = Ei kiireellinen
matter-outcome-started = Arviointi aloitetaan
matter-outcome-not_started = Arviointia ei aloiteta
matter-close-no_need = Ei palveluntarvetta
matter-close-client_work_continues = Asiakkuus jatkuu asiakassuunnitelmalla
matter-close-transferred = Siirretty toiseen kuntaan tai hyvinvointialueelle
matter-close-withdrawn = Peruttu
matter-close-other = Muu syy
matter-on-time = ajallaan { $date }
matter-done-late = { $days ->
    [one] { $days } päivä myöhässä
   *[other] { $days } päivää myöhässä
}
matter-days-left = { $days ->
    [0] erääntyy tänään
    [one] { $days } päivä jäljellä
   *[other] { $days } päivää jäljellä
}
matter-days-late = { $days ->
    [one] { $days } päivä myöhässä
   *[other] { $days } päivää myöhässä
}
matter-no-deadline = –
matter-no-such-task = Palvelutehtävää ei ole.
matter-bad-document = Asiakirjalla ei voi avata tätä asiaa: sen on oltava asiakkaan saman palvelualueen ilmoitus, yhteydenotto tai hakemus, jota ei ole liitetty toiseen asiaan.
matter-open-exists = Asiakkaalla on jo avoin asia tällä palvelualueella (asia { $id }). Valitse asiakirja, niin se liitetään siihen.
matter-phase-recorded = Vaihe on jo kirjattu. Kirjattua vaihetta ei korvata.
matter-closed = Asia on päättynyt; vaiheita ei voi enää kirjata.
matter-phase-too-early = Päivä on ennen asian vireilletuloa tai ennen vaihetta, jota se seuraa.
matter-phase-not-started = Arviointia ei ole päätetty aloittaa.
matter-phase-child-only = Tämä vaihe kuuluu vain lapsen asiaan.

## Statistics
nav-statistics = Tilastot
stats-title = Tilastot THL:lle
stats-hint = Yksiköiden, joiden esihenkilö olet, luvut. Jokainen asia lasketaan sille jaksolle, jolle sen määräaika osuu. Luvut 1–4 on peitetty (<5), jotta ketään ei voi tunnistaa.
stats-periods = Jaksot
stats-processing-times = Lastensuojelun käsittelyajat
stats-counted-on = laskettu
stats-due = THL:lle viimeistään { $date }.
stats-unit = Yksikkö
stats-start = Arvioinnin aloittaminen 7 arkipäivässä
stats-completion = Arvio valmis 3 kuukaudessa
stats-total = yhteensä
stats-on-time = ajallaan
stats-late = myöhässä
stats-pending = ei vielä erääntynyt
stats-all-units = Kaikki yksiköt
stats-yearly = Vireille tulleet asiat ja ilmoitukset vuonna
stats-matters-started-by = Asiat vireilletulon mukaan
stats-notifications-by-reporter = Lastensuojeluilmoitukset ilmoittajan mukaan
stats-what = Luku
stats-kind = Laji
stats-count = Määrä
stats-none = Ei asioita.
stats-download-csv = Lataa CSV
stats-download-xlsx = Lataa Excel (XLSX)
stats-download-hint = Ladattu tiedosto kirjataan tilastoluovutukseksi THL:lle.
# Client relationships: the basis they are opened on
client-basis = Peruste
basis-legacy = Avattu ennen kuin Kirjo kirjasi perusteen
basis-document = Asiakirja { $id }
basis-assignment = Esihenkilön osoittama ({ $name })
basis-purpose = Ilmoitettu käyttötarkoitus: { $purpose }
basis-backdated = Alkupäivä taannehtiva: { $reason }
flag-relationship_opened = Asiakkuus henkilölle, jota käyttäjä ei aiemmin nähnyt
flag-relationship_by_purpose = Asiakkuus ilmoitetulla käyttötarkoituksella
flag-relationship_backdated = Asiakkuuden taannehtiva alkupäivä
relationship-basis-required = Valitse asiakkuuden peruste: asiakirja, esihenkilön osoitus tai käyttötarkoitus.
relationship-document-required = Anna asiakirjan tunnus.
relationship-purpose-required = Valitse käyttötarkoitus.
relationship-purpose-text-required = Kerro käyttötarkoitus omin sanoin.
relationship-backdating-reason-required = Menneestä päivästä alkava asiakkuus tarvitsee syyn.
relationship-refused-basis = Valitse asiakkuuden peruste.
relationship-refused-document_id = Asiakirja ei ole tämän asiakkaan asiakastyön aloittava asiakirja tällä palvelualueella.
relationship-refused-responsible_worker_id = Vastuutyöntekijän on oltava tämän yksikön ja palvelualueen asiakastyöntekijä.
relationship-refused-purpose = Valitse käyttötarkoitus ja kerro se omin sanoin.
relationship-refused-backdating_reason = Menneestä päivästä alkava asiakkuus tarvitsee syyn.

# A relation to a person the user may not see
relation-unseen = Henkilö, jonka tietoihin sinulla ei ole pääsyä
relation-unseen-accepted = Otettu vastaan. Suhde henkilöön, jonka tietoihin sinulla ei ole pääsyä, kirjataan, jos henkilö on rekisterissä; hänen tietojaan ei näytetä.
flag-relation_to_unseen = Suhde henkilöön, jota käyttäjä ei näe
matters-table = Asiat ja niiden määräajat

# Optimistic concurrency: a save that met a newer version (docs/concurrency.md)
conflict-title = Joku muu tallensi tämän sillä välin
conflict-text = Joku muu tallensi tämän sen jälkeen, kun avasit sen, joten muutoksiasi ei vielä tallennettu. Mitään kirjoittamaasi ei ole menetetty: vertaa alla olevia versioita, yhdistä ne lomakkeella ja tallenna uudelleen.
conflict-reload = Joku muu muutti tätä sen jälkeen, kun avasit sen, joten mitään ei tehty. Avaa se uudelleen nähdäksesi, mitä nyt on tallennettu.
conflict-caption = Kentät, jotka eroavat
conflict-field = Kenttä
conflict-typed = Mitä kirjoitit
conflict-stored = Nyt tallennettu
conflict-same = Kirjoittamasi on sama kuin nyt tallennettu; vahvista tallentamalla uudelleen.
conflict-party = Osapuoli { $n }
yes = Kyllä
no = Ei

# Decisions (docs/decisions.md)
decision-act = Päätöksen tekeminen ja tiedoksianto
decision-decided-by = Päätöksen tekijä
decision-decided-on = Päätetty
decision-appeal-means = Muutoksenhaku
decision-appeal-days = { $n } päivää tiedoksisaannista
decision-appeal-deadline = Muutoksenhakuaika päättyy
decision-not-all-served = Ei vielä tiedossa: päätöstä ei ole annettu tiedoksi kaikille asianosaisille.
decision-final = Lainvoimaisuus
decision-not-final = Ei lainvoimainen
decision-appeal-instructions = Muutoksenhakuohje
decision-service = Tiedoksianto asianosaisille
service-sent-on = Lähetetty tai annettu
service-served-on = Tiedoksisaantipäivä
service-appeal-ends = Muutoksenhaun viimeinen päivä
service-record = Kirjaa tiedoksianto: { $name }
service-method-post = Postitse (7. päivänä lähettämisestä)
service-method-in_person = Henkilökohtaisesti (luovutuspäivänä)
service-method-electronic = Sähköisesti (3. päivänä lähettämisestä)
service-receipt-on = Saantitodistuksen päivä
service-receipt-hint = Vain postitse: jos saantitodistus osoittaa muun päivän.
service-save = Kirjaa tiedoksianto
decision-mark-final = Merkitse lainvoimaiseksi
decision-final-appeal_periods_passed = Kaikkien asianosaisten muutoksenhakuaika on päättynyt
decision-final-appeal_waived = Muutoksenhausta on luovuttu (kirjaa perustelu)
decision-final-reason = Perustelu
decision-printout = Päätöksen tulostettavat tiedot (JSON)
decision-named-maker = Päätöksentekijä
decision-decide-intro = Sinut on nimetty tämän päätöksen tekijäksi. Päätös lukitaan, kun teet sen; muutoksenhakuohje tulee ratkaisun lakiperusteen mukaan. Päätöksen tekeminen edellyttää todennuskoodin antamista uudelleen.
decision-decide = Tee päätös
decision-awaiting = Odottaa päätöksentekijää: { $name }. Vain nimetty päätöksentekijä voi tehdä päätöksen.
appeal-means-appeal = Valitus hallinto-oikeuteen
appeal-means-rectification = Oikaisuvaatimus
decisions-to-decide = Päätökset, jotka odottavat sinua
decisions-drafted-by = luonnoksen laatinut { $name }
notification-reporter-confidential = Ilmoittajan tiedot ovat salassa pidettäviä
notification-confidentiality-grounds = Salassapidon perustelut

relationship-title = Avaa asiakkuus
relationship-new = Avaa asiakkuus
relationship-back = Takaisin asiakkaan tietoihin
relationship-intro = Asiakkuus avataan perusteella, jonka Kirjo kirjaa ja näyttää: asiakastyön aloittava asiakirja, esihenkilön osoitus tai ilmoitettu käyttötarkoitus. Asiakkuus henkilöön, jota et ennen nähnyt, takautuva alkupäivä ja käyttötarkoituksella avattu asiakkuus menevät esihenkilön ja tietosuojavastaavan tarkastettaviksi.
relationship-place = Palvelualue ja yksikkö
relationship-choose = Valitse
relationship-basis-document = Asiakastyön aloittava asiakirja (lastensuojeluilmoitus, hakemus tai yhteydenotto)
relationship-basis-assignment = Esihenkilön osoitus: nimeän vastuutyöntekijän
relationship-basis-purpose = Ilmoitettu käyttötarkoitus
relationship-document = Asiakirjan numero
relationship-document-hint = Numero näkyy asiakirjan osoitteessa (/documents/numero).
relationship-worker = Vastuutyöntekijä
relationship-worker-self = Minä itse
relationship-purpose = Käyttötarkoitus
relationship-purpose-text = Käyttötarkoitus omin sanoin
relationship-started-on = Alkupäivä
relationship-backdating-reason = Syy menneeseen alkupäivään
relationship-backdating-hint = Tarvitaan vain, jos alkupäivä on ennen tätä päivää.
relationship-number = Anna numero.
relationship-open = Avaa asiakkuus
# Turva-avaimet ja pääsyavaimet (WebAuthn)
keys-title = Turva-avaimet ja pääsyavaimet
keys-count = { $count ->
    [one] { $count } rekisteröity
   *[other] { $count } rekisteröity
}
keys-manage = Turva-avaimet ja pääsyavaimet
keys-intro = Turva-avainta tai pääsyavainta (puhelimessa tai tietokoneessa) voi käyttää todennussovelluksen koodin sijasta, kun kirjaudut tai vahvistat toimenpiteen. Rekisteröi useampi kuin yksi tai pidä myös todennussovellus, jotta yhden katoaminen ei estä kirjautumista.
keys-none = Sinulla ei ole turva-avaimia eikä pääsyavaimia.
keys-registered = Turva-avaimesi ja pääsyavaimesi
keys-name = Nimi
keys-name-help = Nimi, josta tunnistat avaimen, esimerkiksi "Keltainen avain" tai "Työpuhelin". Enintään 60 merkkiä.
keys-name-invalid = Anna avaimelle 1–60 merkin nimi.
keys-added = Lisätty
keys-last-used = Viimeksi käytetty
keys-never = Ei koskaan
keys-actions = Toiminnot
keys-remove = Poista
keys-add-title = Lisää turva-avain tai pääsyavain
keys-add = Lisää
keys-needs-script = Turva-avaimen tai pääsyavaimen lisääminen vaatii selaimen, joka tukee niitä, ja JavaScriptin. Voit edelleen kirjautua todennussovelluksen koodilla.
keys-added-notice = Turva-avain tai pääsyavain lisättiin.
keys-removed-notice = Turva-avain tai pääsyavain poistettiin.
keys-last = Tämä on viimeinen toinen tunnistustekijäsi, ja roolisi edellyttää sellaista. Lisää ensin toinen turva-avain tai todennussovellus.
keys-off = Turva-avaimet ja pääsyavaimet eivät ole käytössä tässä asennuksessa.
keys-or = Tai käytä koodin sijasta turva-avainta tai pääsyavainta.
keys-use = Käytä turva-avainta tai pääsyavainta
keys-failed = Turva-avainta tai pääsyavainta ei voitu käyttää. Yritä uudelleen tai anna koodi.
keys-cancelled = Turva-avaimen tai pääsyavaimen käyttö peruttiin tai aika loppui. Yritä uudelleen tai anna koodi.
keys-refused = Turva-avainta tai pääsyavainta ei hyväksytty. Yritä uudelleen tai anna koodi.

start-drafts = Keskeneräiset luonnokseni
start-edited = muokattu { $when }
start-recent = Viimeksi avatut asiakkaat
start-opened = avattu { $when }
# Printouts and the privacy notice
print-pdf = Tulosta PDF
notice-languages = Selosteen kieli
notice-link = Tietosuojaseloste
