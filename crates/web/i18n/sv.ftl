# Kirjo: sidornas texter på svenska. Varje nyckel finns också i fi.ftl och en.ftl.

## Ram
skip-to-content = Gå till innehållet
service-name = Klientuppgifter inom socialvården
language-nav = Språk
main-nav = Huvudmeny
sign-out = Logga ut
footer-text = Kirjo – klientdatasystem för socialvården. Uppgifterna är sekretessbelagda (lagen om klientens ställning och rättigheter inom socialvården 14 §).
back-to-start = Till startsidan
notice = Meddelande
saved = Sparat.
save = Spara
continue = Fortsätt
search = Sök

## Meny
nav-clients = Mina klienter
my-clients-intro = Klientrelationer där du är ansvarig arbetstagare eller med i arbetsgruppen. Visningen av listan loggas.
my-clients-none = Du har inga gällande klientrelationer.
my-clients-since = Från
my-clients-role = Din uppgift
my-clients-responsible = Ansvarig arbetstagare
my-clients-team = I arbetsgruppen
nav-my-work = Mitt arbete
nav-search = Sök
nav-supervision = Förman
nav-administration = Huvudanvändare
nav-data-protection = Dataskydd

## Roller
role-client_worker = Klientarbetare
role-unit_supervisor = Enhetens förman
role-registry_clerk = Registratorskontoret
role-main_administrator = Huvudanvändare
role-data_protection_officer = Dataskyddsombud
role-provider_worker = Köptjänstens arbetstagare

## Fel
error-title = Fel
error-forbidden = Ingen behörighet
error-not-found = Sidan hittas inte
error-not-found-text = Sidan du söker finns inte.
error-too-many = För många försök
error-denied = Du har inte rätt till den här uppgiften eller åtgärden. Försöket har loggats.
error-detail = Systemets grund (på engelska):
error-no-client = Klienten hittas inte.
error-internal = Något gick fel. Ingenting sparades. Försök igen; om felet upprepas, kontakta huvudanvändaren.

## Inloggning
sign-in-title = Logga in
sign-in = Logga in
sign-in-hint = Använd ditt eget personliga användarnamn. Det får inte överlåtas till någon annan.
sign-in-missing = Ange användarnamn och lösenord.
sign-in-wrong = Användarnamnet eller lösenordet är fel.
sign-in-locked = För många misslyckade försök. Inloggningen är spärrad en stund; försök igen senare.
signed-out = Du har loggat ut.
session-ended = Din session har upphört. Logga in igen.
resume-title = Din session har upphört: det du skickade finns kvar
resume-lead = Logga in igen på den här sidan, så sparas formuläret du skickade som om sessionen inte hade avbrutits. Uppgifterna finns bara på den här sidan i webbläsaren: stäng den inte.
resume-code-lead = Lösenordet var rätt. Ange ännu engångskoden, så sparas formuläret du skickade.
resume-send = Logga in och spara
resume-other-user = Formuläret fylldes i av en annan användare. Endast hen kan spara det genom att logga in med sitt eget användarnamn.
resume-hint = Om du inte vill spara formuläret, stäng sidan: uppgifterna har inte sparats någon annanstans.
username = Användarnamn
password = Lösenord

## Andra faktorn
second-factor-title = Bekräfta inloggningen
second-factor-intro = Ange den sexsiffriga koden som din autentiseringsapp visar.
code = Kod
code-help = Om appen inte är tillgänglig, ange en av dina reservkoder.
code-wrong = Koden är fel eller redan använd. Kontrollera koden och försök igen.
code-too-many = För många felaktiga koder. Sessionen upphörde; logga in igen.
enrol-title = Ta i bruk en autentiseringsapp
enrol-required = Din roll kräver tvåstegsverifiering. Ta i bruk en autentiseringsapp för att fortsätta.
enrol-step-scan = Läs QR-koden med autentiseringsappen (till exempel Google Authenticator, Microsoft Authenticator eller FreeOTP).
enrol-qr-label = QR-kod för autentiseringsappen
enrol-step-type = Om du inte kan läsa koden, skriv in den här nyckeln i appen:
enrol-step-code = Ange den sexsiffriga koden som appen visar
enrol-confirm = Bekräfta
recovery-title = Reservkoder
recovery-intro = Förvara koderna på ett säkert ställe. Varje kod kan användas en gång om autentiseringsappen inte är tillgänglig. Koderna visas bara nu.
recovery-left = { $count ->
    [one] { $count } reservkod kvar
   *[other] { $count } reservkoder kvar
}

## Lösenord
password-title = Byt lösenord
password-forced = Du måste byta lösenord innan du kan fortsätta.
password-rules = Lösenordet ska ha minst 12 tecken. Vanliga eller läckta lösenord godkänns inte. En lång mening är ett bra lösenord.
password-current = Nuvarande lösenord
password-new = Nytt lösenord
password-repeat = Nytt lösenord igen
password-mismatch = Lösenorden är inte lika.
reauth-title = Bekräfta din identitet
reauth-intro = Den här åtgärden kräver att du anger ditt lösenord igen.
reauth-wrong = Lösenordet eller koden är fel.
reauth-code = Verifieringskod
reauth-code-hint = Att fatta ett beslut kräver också koden från autentiseringsappen. För andra åtgärder räcker lösenordet.

## Startsida
start-greeting = Hej, { $name }
start-roles = Dina behörigheter
start-no-roles = Du har inga gällande behörigheter. Kontakta din förman.
commitment-title = Användarförbindelse
commitment-accept = Jag godkänner användarförbindelsen
commitment-changed = Användarförbindelsen har ändrats. Läs den nya versionen och godkänn den.

## Eget konto
account-title = Mina uppgifter
account-second-factor = Tvåstegsverifiering
account-second-factor-on = I bruk
account-second-factor-off = Inte i bruk
account-enrol = Ta i bruk en autentiseringsapp
account-replace-second-factor = Byt autentiseringsapp

## Sökning
search-outside = Sök utanför dina klientrelationer
search-outside-intro = Om ärendet är brådskande och klientens egen arbetstagare inte kan nås, kan du söka i ett serviceområde som tillåter det, när du anger ändamålet. Sökningen och ändamålet loggas och granskas av dataskyddsombudet.
search-outside-go = Sök med ändamål
search-title = Sök klient
search-help = Sök med namn, personbeteckning eller födelsedatum. Varje sökning loggas.
search-name = Namn
search-birth-date = Födelsedatum (dd.mm.åååå)
search-results = { $count ->
    [0] Inga sökresultat
    [one] { $count } sökresultat
   *[other] { $count } sökresultat
}
search-bad-date = Födelsedatumet duger inte. Skriv det i formen 1.2.2015.
search-bad-code = Personbeteckningen duger inte: { $reason }
search-empty = Ange namn, personbeteckning eller födelsedatum.

## Klient
relation-scope = uppdrag: { $scope }
relation-access-yes = umgängesrätt
relation-access-no = ingen umgängesrätt
relation-since = från { $date }
relation-until = till { $date }
source-vtj = från befolkningsdatasystemet
source-client = uppgett av klienten
source-worker = registrerat av arbetstagaren
cancel = Avbryt
client-edit = Redigera grunduppgifter
client-revealed = Uppgifter med spärrmarkering visade med grunden: { $reason }. Visningen har loggats.
reveal = Visa uppgifter med spärrmarkering
reveal-reason = Grund för att visa uppgifterna
reveal-reason-missing = Skriv en grund för att visa uppgifter med spärrmarkering.
form-new-title = Lägg till person
form-edit-title = Redigera grunduppgifter
form-errors = Rätta felen i formuläret. Ingenting sparades.
form-protected = Personen har spärrmarkering: adress- och kontaktuppgifter visas inte och ändras inte i det här formuläret.
form-group-identity = Person
form-group-other = Övriga uppgifter
form-identity-code-hint = Om personen inte har personbeteckning, ange födelsedatum.
form-birth-date-hint = Endast om personbeteckning saknas.
form-citizenship-hint = Landskoder åtskilda med kommatecken, till exempel FI, SE.
form-one-per-line = En per rad.
form-street = Gatuadress
form-postal-code = Postnummer
form-post-office = Postanstalt
form-address-municipality = Adressens kommun
field-first-names = Förnamn
field-surname = Efternamn
field-name = Namn
field-identity-code = Personbeteckning
field-birth-date = Födelsedatum
field-calling-name = Tilltalsnamn
field-mother-tongue = Modersmål
field-service-language = Ärendespråk
field-occupation = Yrke
field-workplace = Arbetsplats
field-citizenship = Medborgarskap
field-home-municipality = Hemkommun
field-phone = Telefon
field-email = E-post
field-none = Inga uppgifter
address-permanent = Stadigvarande adress
address-temporary = Tillfällig adress
address-postal = Postadress
client-protected = Spärrmarkering: adress- och kontaktuppgifterna är dolda.
client-deceased = Död { $date }
client-basic = Grunduppgifter
client-contact = Kontaktuppgifter
client-contact-protected = Uppgifterna omfattas av spärrmarkering. De visas endast av motiverat skäl, och visningen loggas.
client-family = Familj och företrädare
client-relationships = Klientrelationer
client-area = Serviceområde
client-unit = Enhet
client-period = Tid
client-worker = Ansvarig arbetstagare
client-access = Grund för åtkomst:
relation-guardian = Vårdnadshavare
relation-parent_without_custody = Förälder (inte vårdnadshavare)
relation-legal_representative = Laglig företrädare
relation-authorised_person = Befullmäktigad
relation-next_of_kin = Närstående
relation-contact_person = Kontaktperson
relation-household_member = Bor i samma hushåll
purpose-title = Användningsändamål
purpose-intro = Du har ingen klientrelation till den här klienten. Du kan öppna uppgifterna endast om du anger ändamålet. Ändamålet och visningen loggas och granskas av dataskyddsombudet.
purpose-choose = Varför öppnar du klientens uppgifter?
purpose-text = Motivering med egna ord
purpose-open = Öppna klientens uppgifter
purpose-missing = Välj ändamål och skriv en motivering.
purpose-refused = Det valda ändamålet öppnar inte den här klientens uppgifter. Försöket har loggats.

## Behörigheter
proposals-title = Förslag om behörigheter
proposals-none = Inga förslag.
proposal-kind = Förslag
proposal-user = Användare
proposal-role = Roll
proposal-valid = Giltig
proposal-reason = Motivering
proposal-status = Status
proposal-open = Väntar på beslut
proposal-approved = Godkänt
proposal-rejected = Avslaget
proposal-kind-grant = Ny behörighet
proposal-kind-change = Ändring
proposal-kind-remove = Borttagning
decision-reason = Motivering för beslutet
decision-approve = Godkänn
decision-reject = Avslå
decision-reason-missing = Skriv en motivering för beslutet.

## Dataskydd
flags-title = Användningar att granska
flags-none = Inga användningar att granska.
flag-when = Tid
flag-kind = Orsak
flag-user = Användare
flag-client = Klient
flag-explanation = Grund
flag-review = Granskning
flag-outcome = Resultat
flag-outcome-justified = Motiverad
flag-outcome-needs_investigation = Ska utredas
flag-outcome-misuse_suspected = Misstänkt missbruk
flag-note = Anteckning
flag-count = Användningar
flag-rows = Loggrader
flags-grouped = En användares användningar som flaggats av samma orsak samma dag är en rad som granskas på en gång.
flag-outside_relationship = Användning utanför klientrelation
flag-turvakielto = Klient med spärrmarkering
flag-own_family = Egen familj
flag-same_surname = Samma efternamn
flag-same_address = Samma adress
flag-many_clients_in_hour = Många klienter på en timme
flag-outside_working_hours = Utanför arbetstid
review-bad = Välj granskningens resultat.
review-note-missing = Skriv en anteckning om granskningen.

## Tillgänglighetsutlåtande
a11y-title = Tillgänglighetsutlåtande
a11y-intro = Detta utlåtande gäller personalens sidor i klientdatasystemet Kirjo. Lagen om tillhandahållande av digitala tjänster (306/2019) kräver att offentliga tjänsters webbplatser är tillgängliga.
a11y-status-title = Tillgänglighetens status
a11y-status = Sidorna är gjorda för att uppfylla kraven på nivå AA i WCAG 2.1. Alla funktioner fungerar med tangentbord och utan JavaScript, och sidorna fungerar vid 200 % förstoring.
a11y-tested-title = Hur tillgängligheten har granskats
a11y-tested = Varje sida granskas automatiskt med verktyget axe-core vid varje ändring.
a11y-feedback-title = Respons
a11y-feedback = Om du märker en brist i tillgängligheten, meddela din organisations huvudanvändare.
a11y-authority-title = Tillsynsmyndighet
a11y-authority = Om du inte får svar inom 14 dagar kan du göra en anmälan till tillsynsmyndigheten för digital tillgänglighet. Aktuella kontaktuppgifter finns på www.tillgänglighetskrav.fi.

## Log
log-client-title = Loggutdrag, klient { $id }
log-client-intro = Vem som har använt klientens uppgifter, när, vad och för vilket ändamål, samt till vem uppgifter har lämnats ut. Utdraget loggas.
log-from = Från
log-to = Till
log-show = Visa
log-csv = Ladda ner som CSV-fil
log-uses = { $count ->
    [0] Inga användningar
    [one] { $count } användning
   *[other] { $count } användningar
}
log-disclosures = { $count ->
    [0] Inga utlämnanden
    [one] { $count } utlämnande
   *[other] { $count } utlämnanden
}
log-action = Åtgärd
log-data = Uppgift
log-purpose = Ändamål
log-result = Resultat
log-allowed = Tillåten
log-denied = Nekad
log-recipient = Mottagare
log-basis = Grund
log-bad-period = Perioden duger inte: ange datum, och början före slutet.
trail-title = Mina användningar
trail-intro = Allt som har loggats i ditt namn i användningsloggen.
extract-title = Loggutdrag för den registrerade
extract-intro = För en begäran om insyn: ange personbeteckningen för att se vem som har använt personens uppgifter. Sökningen och utdraget loggas.
extract-make = Gör loggutdrag
samples-title = Stickprov
samples-intro = Ett slumpmässigt urval av enhetens användares användningar av klientuppgifter för granskning. Resultatet av varje granskning sparas.
samples-none = Inga stickprov.
sample-size = Urvalets storlek
sample-draw = Ta stickprov
sample-bad-size = Urvalets storlek ska vara 1–500.
sample-title = Stickprov, enhet { $unit }
sample-intro = Granska varje användning: fanns det grund för den?
sample-empty = Det fanns inga användningar under perioden.
sample-progress = granskade { $done }

## Documents
documents-title = Handlingar
band-label = Klient
band-age-label = Ålder
band-age = { $years } år
band-deceased = avliden
band-protected = Spärrmarkering
documents-of = Handlingar – { $name }
person-added = Personen har sparats. Hans eller hennes uppgifter öppnas inte för dig, eftersom personen inte är klient i din enhet; du kan lägga till nästa person.
documents-back = Klientens grunduppgifter
documents-filter = Serviceområde
documents-all = Alla
documents-none = Inga handlingar som du kan se.
documents-document = Handling
documents-corrected = rättad
narrative-new = Ny anteckning i klientberättelsen
narrative-edit = Redigera utkastet
narrative-correct = Rätta handlingen
narrative-correct-intro = Rättelsen sparas som en ny version. Originalet bevaras, och historiken visar vem som rättade, när och varför.
narrative-entry = Typ av anteckning
narrative-date = Datum
date-invalid = Datumet kan inte läsas; tiden då handlingen skrevs visas:
narrative-text = Anteckning
narrative-agreed = Överenskommelser
narrative-agreed-hint = Vid möten och överläggningar: vad som avtalades och vem som gör vad.
narrative-reason = Orsak till rättelsen
narrative-reason-missing = Ange varför handlingen rättas.
narrative-save-draft = Spara utkastet
narrative-save-correction = Spara rättelsen
doc-client = Klient
doc-organiser = Anordnare av tjänsten
doc-producer = Producent av tjänsten
doc-author = Upprättare
doc-created = Upprättad
doc-definition = Nationell definition
doc-metadata = Handlingens uppgifter
doc-complete = Klar: lås handlingen
doc-save-and-complete = Klar: spara och lås
complete-confirm-title = Låsa handlingen?
complete-confirm-lead = Utkastet har sparats så här. En färdig handling kan inte längre redigeras: den kan bara rättas till en ny version, och rättelsen syns i historiken.
complete-confirm = Lås handlingen
complete-keep-editing = Fortsätt redigera
discard-confirm-title = Förkasta utkastet?
discard-confirm-lead = Ett förkastat utkast försvinner från tidslinjen och från dina utkast, och det kan inte återställas för redigering. Förkastandet loggas.
doc-discard = Förkasta utkastet
doc-history = Versioner
doc-version = Version { $n }
doc-corrected-because = rättad eftersom: { $reason }
doc-superseded = Det finns en nyare, rättad version av den här handlingen.
doc-state-draft = Utkast
doc-state-completed = Klar
doc-state-discarded = Förkastad
narrative-task = Serviceuppgift
notification-new = Ny barnskyddsanmälan
notification-what = Anmälan
notification-handling = Behandling
notification-received = Inkommen
notification-reporter = Anmälare
notification-reporter-who = Uppgifter om anmälaren
notification-reporter-first-names = Anmälarens förnamn
notification-reporter-surname = Anmälarens efternamn
notification-reporter-title = Anmälarens yrkesbeteckning
notification-reporter-organisation = Anmälarens organisation
notification-channel = Hur den kom in
notification-content = Sakinnehåll
notification-urgency = Bedömning av brådskande behov
notification-urgency-note = Motivering för bedömningen
notification-decision = Beslut om att inleda en bedömning av servicebehovet
notification-decided-on = Beslutets datum
notification-reasons = Motivering, om bedömningen inte inleds
notification-child-told = Barnet informerat
notification-guardian-told = Vårdnadshavaren informerad
notification-deadlines = Tidsfrister
notification-start-due = Beslut om att inleda bedömningen senast
notification-completion-due = Bedömningen klar senast
notification-late = Försenad
reporter-professional = Yrkesperson (anmälningsskyldig)
reporter-private_person = Privatperson
reporter-anonymous = Anonym
channel-phone = Per telefon
channel-letter = Per brev
channel-electronic = Elektroniskt
channel-in_person = Personligen
urgency-immediate = Barnet behöver omedelbart skydd
urgency-not_immediate = Inget omedelbart skyddsbehov
decision-start = Bedömningen inleds
decision-not_started = Bedömningen inleds inte
deadlines-title = Tidsfrister för barnskyddsanmälningar
deadlines-open = Inget beslut ännu
guardian-request = Vårdnadshavarens begäran om uppgifter
guardian-answer-for = Vårdnadshavare: { $name }
guardian-withheld = Barnet har förbjudit att uppgifter om barnet lämnas till vårdnadshavaren, och förbudet har godkänts. Vårdnadshavaren får inga handlingar om barnet. Granskningen har loggats.
guardian-may-give = Dessa färdiga handlingar kan lämnas till vårdnadshavaren. Utlämnandet har loggats.
prohibition-title = Minderårigs förbud mot att lämna uppgifter till vårdnadshavaren
prohibition-intro = En minderårig kan förbjuda att uppgifter lämnas till vårdnadshavaren, om hen med hänsyn till ålder och utvecklingsnivå kan bedöma sakens betydelse och förbudet inte strider mot hens intresse. Registrera förbudet och motiveringen, eller varför förbudet inte godkändes.
prohibition-accepted = Förbudet godkänt
prohibition-not-accepted = Förbudet inte godkänt
prohibition-made-on = Förbudet framfört
prohibition-decision = Avgörande
prohibition-reason = Motivering
prohibition-record = Registrera förbudet
doc-files = Bilagor
doc-checksum = kontrollsumma
file-add = Lägg till bilaga
file-choose = Fil
file-hint = PDF, JPEG, PNG eller textfil, högst 10 MB. Bilagan sparas i utkastet och låses med det när handlingen blir färdig.
file-send = Bifoga filen
file-none = Välj en fil att bifoga.
file-empty = Filen är tom.
file-too-large = Filen är större än 10 MB.
file-type = Den här filtypen kan inte bifogas. Tillåtna: PDF, JPEG, PNG och textfil.
file-mismatch = Filens innehåll motsvarar inte dess typ ({ $type }). Spara filen på nytt i rätt format.
file-name = Filnamnet saknas, är för långt (över 200 tecken) eller innehåller tecken som inte kan finnas i ett namn (/, \ eller ett styrtecken). Byt namn på filen.
file-broken = Formuläret kunde inte läsas. Försök igen.

# Form kinds of documents
doc-new = Ny handling: { $kind }
doc-content = Innehåll
doc-new-kind = Ny handling
documents-kind = Typ av handling
form-required-note = Uppgifter märkta med asterisk (*) är obligatoriska; de märkta med två (**) behövs innan handlingen färdigställs.
parties-legend = Delgivning till parterna
parties-hint = Ange varje part som beslutet delges, sättet och dagen för delgivningen. Tomma rader lämnas bort.
parties-row = Part { $n }
parties-name = Namn på part { $n }
parties-method = Delgivningssätt för part { $n }
parties-served-on = Delgivningsdag för part { $n }
parties-party = Part
parties-how = Sätt
parties-when = Delgivet
parties-not-served = ännu inte
documents-show = Visa
prohibition-covers = Gäller handlingarna { $documents }
prohibition-back = Tillbaka till klientens uppgifter
prohibition-scope = Vilka handlingar förbudet gäller
prohibition-scope-all = Alla barnets handlingar
prohibition-scope-some = Endast handlingarna som markerats nedan och deras rättelser
prohibition-documents = Handlingar att markera
prohibition-documents-help = I listan finns barnets handlingar inom de serviceområden där barnet är din klient. Om förbudet bara gäller en del av handlingarna, markera dem; förbudet gäller också deras senare rättelser.
prohibition-end = Avsluta förbudet
prohibition-ended-on = Förbudet upphör
prohibition-end-reason = Orsak till att det upphör
prohibition-end-conflict = Barnet har inget sådant gällande förbud före den dagen.
prohibition-assessment = Bedömning
prohibition-assessment-help = Förbudet godkänns endast om barnet med hänsyn till sin ålder och utvecklingsnivå kan bedöma dess betydelse, har ett vägande skäl och förbudet inte klart strider mot barnets intresse. Barnets ålder räknas ut från födelsedatumet.
prohibition-age-and-maturity = Barnets ålder och utvecklingsnivå
prohibition-age-and-maturity-help = Hur du bedömer barnets förmåga att förstå vad förbudet innebär.
prohibition-mature-enough = Kan barnet med hänsyn till sin ålder och utvecklingsnivå bedöma förbudets betydelse?
prohibition-weighty-reason = Det vägande skäl som barnet anger
prohibition-against-interest = Strider förbudet klart mot barnets intresse?
prohibition-child-told-on = Dag då barnet fick veta avgörandet
prohibition-dates-help = Förbudet registreras den dag det framförs: datumet kan inte vara tidigare än i dag.
prohibition-yes = Ja
prohibition-no = Nej
prohibition-date-past = Datumet kan inte vara tidigare än i dag: förbudet registreras inte retroaktivt.
prohibition-end-past = Slutdagen kan inte vara tidigare än i dag: att förbudet upphör registreras inte retroaktivt.
prohibition-told-before-made = Barnet kan inte ha fått veta avgörandet innan förbudet framfördes.
prohibition-accepted-against-interest = Ett förbud som klart strider mot barnets intresse kan inte godkännas.
prohibition-accepted-not-mature = Förbudet kan godkännas endast om barnet med hänsyn till sin ålder och utvecklingsnivå kan bedöma dess betydelse.
prohibition-text-unusable = Texten innehåller tecken som inte kan sparas.
prohibition-age = { $age } år
pager-rows = Rader { $first }–{ $last } av { $total }
pager-pages = Sidor
pager-previous = Föregående
pager-next = Nästa
pager-bad-page = Sidnumret är ett heltal, 1 eller större.

## Matters
nav-matters = Ärenden
client-matters = Ärenden
matters-title = Klientens ärenden
matter-title = Ärende
matter-back-to-client = Klientens uppgifter
matters-none = Klienten har inga ärenden inom de serviceområden där du har klienten.
matter-open = Öppna ärende
matter-open-hint = Ett ärende inleds genom en anmälan, en begäran, en kontakt eller en ansökan. Har klienten redan ett öppet ärende inom samma serviceområde fogas handlingen till det och inga nya tidsfrister börjar.
matter-task = Serviceuppgift
matter-choose = Välj
matter-started-by = Hur ärendet inleddes
matter-started-on = Dag då ärendet inleddes
matter-started-on-hint = Dagen då anmälan, begäran eller kontakten kom in. Den dagen räknas inte in i tidsfristen.
matter-document = Handling genom vilken ärendet inleddes
matter-no-document = Ingen handling
matter-highest-care-allowance = Klienten får högsta vårdbidrag (socialvårdslagen 36 §)
matter-closed-on = avslutat { $date }
matter-rule = Tidsfrister
matter-start-deadline = Bedömningen inleds (7 vardagar)
matter-completion-deadline = Bedömningen klar (3 månader)
matter-days-open = Dagar sedan ärendet inleddes
matter-steps = Handläggningens skeden
matter-no-steps = Inga skeden har antecknats ännu.
matter-step = Skede
matter-step-on = Dag
matter-outcome = Resultat
matter-recorded-by = Antecknat av
matter-documents = Ärendets handlingar
matter-no-documents = Inga handlingar har fogats till ärendet.
matter-record-step = Anteckna skede
matter-record = Anteckna
matter-responsible = Ansvarig arbetstagare
matters-open-title = Öppna ärenden
matters-open-hint = Försenade först, sedan enligt närmaste tidsfrist.
matters-mine = Mina ärenden
matters-none-open = Inga öppna ärenden.
matters-units = Enhetens ärenden
matters-per-worker = Per arbetstagare
matters-open-count = Öppna
matters-chart-heading = Tidsfrister per månad
matters-chart-description = Gjorda i tid och försenade enligt den månad då tidsfristen gick ut, de senaste 12 månaderna, för ärenden i de enheter du leder. Staplarna för försenade är streckade.
matters-chart-start = Beslut om att inleda utredningen inom 7 vardagar
matters-chart-completion = Bedömningen av servicebehovet klar inom 3 månader
matters-chart-on-time = I tid
matters-chart-month = Månad
matters-chart-table = Siffrorna som tabell: { $title }
matters-late-count = Försenade
matter-started-by-child_welfare_notification = Barnskyddsanmälan
matter-started-by-assessment_request = Begäran om utredning av behovet av barnskydd
matter-started-by-anticipatory_notification = Föregripande barnskyddsanmälan
matter-started-by-other_contact = Annan kontakt
matter-started-by-application = Ansökan
matter-rule-child_welfare = Barnets ärende: beslut om att inleda bedömningen senast den 7:e vardagen och bedömningen klar inom 3 månader (barnskyddslagen 26 §, socialvårdslagen 36 §).
matter-rule-adult_priority = Bedömningen inleds senast den 7:e vardagen (socialvårdslagen 36 §: fyllda 75 år eller högsta vårdbidrag).
matter-rule-none = Ingen lagstadgad tidsfrist: bedömningen görs utan ogrundat dröjsmål.
matter-phase-urgency_assessed = Bedömning av brådskande behov
matter-phase-assessment_decided = Beslut om att inleda bedömning
matter-phase-informed = Barnet och vårdnadshavaren underrättade
matter-phase-assessment_completed = Bedömningen av servicebehovet klar
matter-phase-closed = Ärendet avslutat
matter-phase-urgency_assessed-hint = Barnets behov av brådskande hjälp bedöms omedelbart.
matter-phase-assessment_decided-hint = Socialarbetaren beslutar senast den 7:e vardagen om bedömningen av servicebehovet inleds.
matter-phase-informed-hint = Barnet och vårdnadshavaren underrättas om att anmälan kommit in inom 7 vardagar.
matter-phase-assessment_completed-hint = Bedömningen blir klar senast 3 månader efter att ärendet inleddes.
matter-phase-closed-hint = Att ärendet avslutas och varför. Därefter kan inga skeden antecknas.
matter-outcome-urgent = Brådskande
matter-outcome-not_urgent = Inte brådskande
matter-outcome-started = Bedömningen inleds
matter-outcome-not_started = Bedömningen inleds inte
matter-close-no_need = Inget servicebehov
matter-close-client_work_continues = Klientrelationen fortsätter med en klientplan
matter-close-transferred = Överfört till en annan kommun eller ett annat välfärdsområde
matter-close-withdrawn = Återtaget
matter-close-other = Annan orsak
matter-on-time = i tid { $date }
matter-done-late = { $days ->
    [one] { $days } dag försenat
   *[other] { $days } dagar försenat
}
matter-days-left = { $days ->
    [0] förfaller i dag
    [one] { $days } dag kvar
   *[other] { $days } dagar kvar
}
matter-days-late = { $days ->
    [one] { $days } dag försenat
   *[other] { $days } dagar försenat
}
matter-no-deadline = –
matter-no-such-task = Serviceuppgiften finns inte.
matter-bad-document = Handlingen kan inte öppna detta ärende: den ska vara klientens anmälan, kontakt eller ansökan inom samma serviceområde och inte fogad till ett annat ärende.
matter-open-exists = Klienten har redan ett öppet ärende inom detta serviceområde (ärende { $id }). Välj en handling så fogas den till det.
matter-phase-recorded = Skedet är redan antecknat. Ett antecknat skede ersätts inte.
matter-closed = Ärendet är avslutat; inga skeden kan längre antecknas.
matter-phase-too-early = Dagen är före att ärendet inleddes eller före det skede den följer.
matter-phase-not-started = Det har inte beslutats att inleda bedömningen.
matter-phase-child-only = Detta skede hör bara till ett barns ärende.

## Statistics
nav-statistics = Statistik
stats-title = Statistik till THL
stats-hint = Siffror för de enheter där du är förman. Varje ärende räknas för den period då dess tidsfrist infaller. Talen 1–4 är dolda (<5) så att ingen kan identifieras.
stats-periods = Perioder
stats-processing-times = Handläggningstider inom barnskyddet
stats-counted-on = räknat
stats-due = Till THL senast { $date }.
stats-unit = Enhet
stats-start = Bedömningen inledd inom 7 vardagar
stats-completion = Bedömningen klar inom 3 månader
stats-total = totalt
stats-on-time = i tid
stats-late = försenade
stats-pending = ännu inte förfallna
stats-all-units = Alla enheter
stats-yearly = Inledda ärenden och anmälningar år
stats-matters-started-by = Ärenden enligt hur de inleddes
stats-notifications-by-reporter = Barnskyddsanmälningar enligt anmälare
stats-what = Tal
stats-kind = Slag
stats-count = Antal
stats-none = Inga ärenden.
stats-download-csv = Ladda ned CSV
stats-download-xlsx = Ladda ned Excel (XLSX)
stats-download-hint = En nedladdad fil antecknas som ett statistiskt utlämnande till THL.
# Client relationships: the basis they are opened on
client-basis = Grund
basis-legacy = Öppnad innan Kirjo registrerade grunden
basis-document = Handling { $id }
basis-assignment = Tilldelad av förmannen ({ $name })
basis-purpose = Angivet ändamål: { $purpose }
basis-backdated = Retroaktivt startdatum: { $reason }
flag-relationship_opened = Klientrelation för en person som användaren inte tidigare såg
flag-relationship_by_purpose = Klientrelation med angivet ändamål
flag-relationship_backdated = Retroaktivt startdatum för klientrelation
relationship-basis-required = Välj grunden för klientrelationen: en handling, förmannens tilldelning eller ett ändamål.
relationship-document-required = Ange handlingens nummer.
relationship-purpose-required = Välj ändamål.
relationship-purpose-text-required = Beskriv ändamålet med egna ord.
relationship-backdating-reason-required = En klientrelation som börjar ett tidigare datum behöver ett skäl.
relationship-refused-basis = Välj grunden för klientrelationen.
relationship-refused-document_id = Handlingen är inte en handling som inleder klientarbete för denna klient inom detta serviceområde.
relationship-refused-responsible_worker_id = Den ansvariga arbetstagaren ska vara klientarbetare i denna enhet och detta serviceområde.
relationship-refused-purpose = Välj ändamål och beskriv det med egna ord.
relationship-refused-backdating_reason = En klientrelation som börjar ett tidigare datum behöver ett skäl.

# A relation to a person the user may not see
relation-unseen = En person vars uppgifter du inte har tillgång till
relation-unseen-accepted = Mottaget. En relation till en person vars uppgifter du inte har tillgång till registreras om personen finns i registret; personens uppgifter visas inte.
flag-relation_to_unseen = Relation till en person som användaren inte ser
matters-table = Ärenden och deras tidsfrister

# Optimistic concurrency: a save that met a newer version (docs/concurrency.md)
conflict-title = Någon annan sparade det här under tiden
conflict-text = Någon annan sparade det här efter att du öppnade det, så dina ändringar har inte sparats ännu. Inget du skrev har gått förlorat: jämför versionerna nedan, sammanfoga dem i formuläret och spara igen.
conflict-reload = Någon annan ändrade det här efter att du öppnade det, så ingenting gjordes. Öppna det igen för att se vad som är sparat nu.
conflict-caption = Fälten som skiljer sig
conflict-field = Fält
conflict-typed = Det du skrev
conflict-stored = Sparat nu
conflict-same = Det du skrev är detsamma som det som är sparat nu; spara igen för att bekräfta.
conflict-party = Part { $n }
yes = Ja
no = Nej

# Decisions (docs/decisions.md)
decision-act = Beslutsfattande och delgivning
decision-decided-by = Beslutsfattare
decision-decided-on = Beslutat
decision-appeal-means = Ändringssökande
decision-appeal-days = { $n } dagar från delfåendet
decision-appeal-deadline = Tiden för ändringssökande går ut
decision-not-all-served = Inte känt ännu: beslutet har inte delgetts alla parter.
decision-final = Laga kraft
decision-not-final = Har inte vunnit laga kraft
decision-appeal-instructions = Anvisning om ändringssökande
decision-service = Delgivning till parterna
service-sent-on = Skickat eller överlämnat
service-served-on = Delfåendedag
service-appeal-ends = Sista dag för ändringssökande
service-record = Registrera delgivning: { $name }
service-method-post = Per post (den 7 dagen efter avsändandet)
service-method-in_person = Personligen (dagen för överlämnandet)
service-method-electronic = Elektroniskt (den 3 dagen efter avsändandet)
service-receipt-on = Mottagningsbevisets datum
service-receipt-hint = Endast per post: om ett mottagningsbevis visar en annan dag.
service-save = Registrera delgivningen
decision-mark-final = Markera som lagakraftvunnet
decision-final-appeal_periods_passed = Tiden för ändringssökande har gått ut för alla parter
decision-final-appeal_waived = Man har avstått från ändringssökande (ange motiveringen)
decision-final-reason = Motivering
decision-printout = Beslutets utskriftsuppgifter (JSON)
decision-named-maker = Beslutsfattare
decision-decide-intro = Du har utsetts till beslutsfattare för detta beslut. Beslutet låses när du fattar det; anvisningen om ändringssökande följer lagrummet. Att fatta beslutet kräver att du anger verifieringskoden igen.
decision-decide = Fatta beslutet
decision-awaiting = Väntar på beslutsfattaren: { $name }. Endast den utsedda beslutsfattaren kan fatta beslutet.
appeal-means-appeal = Besvär hos förvaltningsdomstolen
appeal-means-rectification = Begäran om omprövning
decisions-to-decide = Beslut som väntar på dig
decisions-drafted-by = utkastet gjort av { $name }
notification-reporter-confidential = Anmälarens uppgifter är sekretessbelagda
notification-confidentiality-grounds = Grunder för sekretessen

relationship-title = Öppna en klientrelation
relationship-new = Öppna en klientrelation
relationship-back = Tillbaka till klientens uppgifter
relationship-intro = En klientrelation öppnas på en grund som Kirjo registrerar och visar: en handling som inleder klientarbetet, en förmans anvisning eller ett angivet ändamål. En relation till en person du inte såg tidigare, ett retroaktivt startdatum och en relation öppnad med ett ändamål granskas av förmannen och dataskyddsombudet.
relationship-place = Serviceområde och enhet
relationship-choose = Välj
relationship-basis-document = En handling som inleder klientarbetet (barnskyddsanmälan, ansökan eller kontakt)
relationship-basis-assignment = Förmannens anvisning: jag utser den ansvariga arbetstagaren
relationship-basis-purpose = Angivet ändamål
relationship-document = Handlingens nummer
relationship-document-hint = Numret syns i handlingens adress (/documents/nummer).
relationship-worker = Ansvarig arbetstagare
relationship-worker-self = Jag själv
relationship-purpose = Ändamål
relationship-purpose-text = Ändamålet med egna ord
relationship-started-on = Startdatum
relationship-backdating-reason = Skäl till ett startdatum i det förflutna
relationship-backdating-hint = Behövs endast om startdatumet är före i dag.
relationship-number = Ange ett nummer.
relationship-open = Öppna klientrelationen
# Säkerhetsnycklar och nyckelkoder (WebAuthn)
keys-title = Säkerhetsnycklar och nyckelkoder
keys-count = { $count ->
    [one] { $count } registrerad
   *[other] { $count } registrerade
}
keys-manage = Säkerhetsnycklar och nyckelkoder
keys-intro = En säkerhetsnyckel eller en nyckelkod (i telefonen eller datorn) kan användas i stället för autentiseringsappens kod när du loggar in eller bekräftar en åtgärd. Registrera fler än en, eller behåll också autentiseringsappen, så att du inte blir utelåst om en försvinner.
keys-none = Du har inga säkerhetsnycklar eller nyckelkoder.
keys-registered = Dina säkerhetsnycklar och nyckelkoder
keys-name = Namn
keys-name-help = Ett namn som säger vilken nyckel det är, till exempel "Gul nyckel" eller "Arbetstelefon". Högst 60 tecken.
keys-name-invalid = Ge nyckeln ett namn på 1–60 tecken.
keys-added = Tillagd
keys-last-used = Senast använd
keys-never = Aldrig
keys-actions = Åtgärder
keys-remove = Ta bort
keys-add-title = Lägg till en säkerhetsnyckel eller nyckelkod
keys-add = Lägg till
keys-needs-script = För att lägga till en säkerhetsnyckel eller nyckelkod behövs en webbläsare som stöder dem, med JavaScript påslaget. Du kan fortfarande logga in med autentiseringsappens kod.
keys-added-notice = Säkerhetsnyckeln eller nyckelkoden lades till.
keys-removed-notice = Säkerhetsnyckeln eller nyckelkoden togs bort.
keys-last = Detta är din sista andra faktor, och din roll kräver en. Lägg först till en annan säkerhetsnyckel eller autentiseringsappen.
keys-off = Säkerhetsnycklar och nyckelkoder används inte i den här installationen.
keys-or = Eller använd en säkerhetsnyckel eller nyckelkod i stället för koden.
keys-use = Använd en säkerhetsnyckel eller nyckelkod
keys-failed = Säkerhetsnyckeln eller nyckelkoden kunde inte användas. Försök igen, eller ange koden.
keys-cancelled = Användningen av säkerhetsnyckeln eller nyckelkoden avbröts eller tiden tog slut. Försök igen, eller ange koden.
keys-refused = Säkerhetsnyckeln eller nyckelkoden godtogs inte. Försök igen, eller ange koden.

start-drafts = Mina utkast
start-edited = ändrat { $when }
start-recent = Senast öppnade klienter
start-opened = öppnad { $when }
# Printouts and the privacy notice
print-pdf = Skriv ut PDF
notice-languages = Beskrivningens språk
notice-link = Dataskyddsbeskrivning
