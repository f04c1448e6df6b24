// Browser tests: Debian's chromium driven by playwright-core against a real
// `kirjo serve --demo` on its own PostgreSQL. Run by ./scripts/test.
// Every page visited is checked with axe-core (WCAG 2.1 A and AA, and
// best practices); a page that breaks the Content-Security-Policy fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startKirjo, launch, signIn, totp, DEMO_PASSWORD, oneIdleMinute, newPage as freshPage, checkAxe } from './kirjo.mjs';

let kirjo;
let browser;
let idle; // a session left idle from the start, for the idle timeout
const checked = new Set();

before(async () => {
  // One minute of idle time, so that the idle timeout can be seen.
  kirjo = await startKirjo({ edit: oneIdleMinute });
  browser = await launch();
  const context = await browser.newContext({ locale: 'fi-FI' });
  const page = await context.newPage();
  await signIn(page, kirjo.url, 'kaisa.kirjaamo');
  assert.match(await page.textContent('h1'), /Kaisa/);
  idle = { context, page, since: Date.now() };
});

after(async () => {
  await browser?.close();
  await kirjo?.stop();
});

/** A Finnish browser, as at a Finnish municipality's desk. */
const newPage = (options = {}) => freshPage(browser, options);

/** axe-core on the page as it is now: no violations, no CSP breaks. */
async function axe(page, name) {
  await checkAxe(page, name);
  checked.add(name);
}

test('sign in with a password reaches the start page, and every page passes axe-core', async () => {
  const page = await newPage();
  await page.goto(`${kirjo.url}/`);
  assert.match(page.url(), /\/sign-in\?next=\//);
  assert.equal(await page.getAttribute('html', 'lang'), 'fi');
  await axe(page, 'sign-in');
  await signIn(page, kirjo.url, 'sari.sosiaalityontekija');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.textContent('h1'), /Hei, Sari/);
  await axe(page, 'start');
  await page.click('nav.main-nav a[href="/clients"]');
  assert.match(await page.textContent('main'), /Mäkinen, Eetu/);
  await axe(page, 'my clients');
  // Search, a result, the client card.
  await page.click('nav.main-nav a[href="/search"]');
  await axe(page, 'search');
  await page.fill('#name', 'Mäkinen');
  await Promise.all([page.waitForLoadState('load'), page.click('form.search-form button[type=submit]')]);
  assert.match(await page.textContent('#results-heading'), /hakutulos/);
  await axe(page, 'search results');
  await Promise.all([page.waitForLoadState('load'), page.click('table a >> nth=0')]);
  assert.match(page.url(), /\/clients\/\d+$/);
  assert.match(await page.textContent('h1'), /Mäkinen/);
  assert.ok(await page.isVisible('#prohibition-heading'), 'a minor\'s card has the prohibition section');
  await axe(page, 'client card');
  const cardUrl = page.url();
  // A minor's prohibition: the form, its errors at their fields, the list.
  await page.click('main a[href$="/minor-prohibition"]');
  await axe(page, 'prohibition form');
  await page.fill('#prohibition_reason', 'Lapsen oma toive');
  await page.click('label[for=scope-some]');
  await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  assert.match(await page.textContent('[role=alert]'), /Merkitse ainakin yksi asiakirja/);
  assert.equal(await page.inputValue('#prohibition_reason'), 'Lapsen oma toive');
  assert.ok(await page.isChecked('#scope-some'));
  await axe(page, 'prohibition form with errors');
  // Opening a client relationship: the form, and its errors at their fields.
  await page.goto(cardUrl);
  await Promise.all([page.waitForLoadState('load'), page.click('main a[href$="/relationships/new"]')]);
  await axe(page, 'open a relationship');
  await page.fill('#document_id', 'kaksi');
  await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  assert.equal(await page.getAttribute('#document_id', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#document_id'), 'kaksi');
  assert.match(await page.textContent('[role=alert]'), /Korjaa lomakkeen virheet/);
  await axe(page, 'open a relationship with errors');
  await page.goto(cardUrl);
  await page.click('main a[href*="/guardian-answer"]');
  assert.match(await page.textContent('h1'), /Huoltajan tietopyyntö/);
  await axe(page, 'guardian answer');
  await page.goto(cardUrl);
  // A bad search says why, next to the form.
  await page.goto(`${kirjo.url}/search?identity_code=123`);
  assert.match(await page.textContent('[role=alert]'), /Henkilötunnus ei kelpaa/);
  await axe(page, 'search error');
  // The protected address is shown only with a reason.
  await page.goto(`${kirjo.url}/search?name=Eetu`);
  await Promise.all([page.waitForLoadState('load'), page.click('table a >> nth=0')]);
  // Eetu's decided decision that is not yet served to every party: a
  // serving dated tomorrow comes back with the error at its field and
  // what was typed kept.
  const eetu = page.url();
  await page.goto(`${eetu}/documents?kind=decision`);
  const decisions = await page.$$eval('main table a[href^="/documents/"]', (as) => as.map((a) => a.getAttribute('href')));
  let served = false;
  for (const href of decisions) {
    await page.goto(kirjo.url + href);
    if (await page.$('form[action$="/service"]')) { served = true; break; }
  }
  assert.ok(served, 'a decided decision waiting for a serving');
  await axe(page, 'decided decision');
  const form = page.locator('form[action$="/service"]').first();
  const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
  await form.locator('select').selectOption('electronic');
  await form.locator('input[name=sent_on]').fill(tomorrow);
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
  const sent = page.locator('form[action$="/service"] input[name=sent_on][aria-invalid=true]');
  assert.equal(await sent.inputValue(), tomorrow);
  assert.match(await page.textContent('[role=alert]'), /Päivämäärä ei voi olla tulevaisuudessa/);
  assert.equal(await page.locator('form[action$="/service"]:has(input[aria-invalid=true]) select').inputValue(), 'electronic');
  await axe(page, 'decision serving with errors');
  await page.goto(eetu);
  assert.doesNotMatch(await page.textContent('main'), /Suojatie/);
  await page.fill('#reason', 'kotikäynnin sopiminen');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/reveal"] button')]);
  assert.match(await page.textContent('main'), /Suojatie 1 A 2/);
  await axe(page, 'client card, revealed');
  // Documents: a narrative entry written, completed and corrected.
  await page.click('main a[href$="/documents"]');
  await axe(page, 'documents');
  await page.goto(page.url().replace(/\?.*$/, '') + '/new');
  await page.selectOption('#service_task', 'lastensuojelu');
  await page.fill('#text', '');
  await Promise.all([page.waitForLoadState('load'), page.click('form.narrative-form button[type=submit]')]);
  assert.equal(await page.getAttribute('#text', 'aria-invalid'), 'true');
  await axe(page, 'new entry with errors');
  await page.fill('#text', 'Kotikäynti. Eetu kertoi koulusta.');
  await Promise.all([page.waitForLoadState('load'), page.click('form.narrative-form button[type=submit]')]);
  assert.match(page.url(), /\/documents\/\d+$/);
  await axe(page, 'draft');
  await Promise.all([page.waitForLoadState('load'), page.click('button[formaction$="/complete"]')]);
  await axe(page, 'confirm completion');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/complete"] button')]);
  await page.click('main a[href$="/correct"]');
  await page.fill('#reason', 'Tarkennus.');
  await page.fill('#text', 'Kotikäynti. Eetu kertoi koulusta ja harrastuksista.');
  await axe(page, 'correction');
  await Promise.all([page.waitForLoadState('load'), page.click('form.narrative-form button[type=submit]')]);
  assert.match(await page.textContent('main'), /Versio 2/);
  await axe(page, 'document with history');
  // A child welfare notification: the form, its errors, the deadlines.
  await page.goto(`${kirjo.url}/`);
  await Promise.all([page.waitForLoadState('load'), page.click('#deadlines-heading ~ div a >> nth=0')]);
  assert.match(await page.textContent('main'), /Päätös arvioinnin aloittamisesta viimeistään/);
  await axe(page, 'notification');
  const client = await page.getAttribute('main a[href$="/documents"]', 'href');
  await page.goto(`${kirjo.url}${client}/new?kind=child_welfare_notification`);
  await axe(page, 'new notification');
  await page.selectOption('#service_task', 'lastensuojelu');
  await page.selectOption('#reporter', 'anonymous');
  await page.fill('#reporter_surname', 'Naapuri');
  await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  assert.equal(await page.getAttribute('#reporter_surname', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#content', 'aria-invalid'), 'true');
  await axe(page, 'new notification with errors');
  // A decision: its form, its errors, its parties, and the timeline's filter.
  await page.goto(`${kirjo.url}${client}/new?kind=decision`);
  await axe(page, 'new decision');
  await page.selectOption('#service_task', 'lastensuojelu');
  await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  assert.equal(await page.getAttribute('#f-decision_text', 'aria-invalid'), 'true');
  await axe(page, 'new decision with errors');
  await page.selectOption('#f-outcome', 'positive');
  await page.selectOption('#f-service', 'social_work');
  await page.fill('#f-decision_text', 'Myönnetään sosiaalityön tuki.');
  await page.fill('#f-legal_basis', 'Lastensuojelulaki 36 §');
  await page.selectOption('#f-decision_maker', { label: 'Leena Lahtinen, johtava sosiaalityöntekijä' });
  await page.fill('#p0-name', 'Minna Mäkinen');
  await page.selectOption('#p0-method', 'handed');
  await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  assert.match(page.url(), /\/documents\/\d+$/);
  assert.match(await page.textContent('main'), /Minna Mäkinen/);
  // Waiting for its decision maker: the drafter cannot complete it.
  assert.match(await page.textContent('#decision-heading + dl + p'), /Odottaa päätöksentekijää: Leena Lahtinen/);
  assert.equal(await page.$('form[action$="/complete"]'), null);
  await axe(page, 'decision draft');
  // A file attached to the draft from its page: first one not allowed.
  await page.setInputFiles('#file', { name: 'ohjelma.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/attachments"] button')]);
  assert.equal(await page.getAttribute('#file', 'aria-invalid'), 'true');
  assert.match(await page.textContent('#file-error'), /Tätä tiedostotyyppiä ei voi liittää/);
  await axe(page, 'attachment refused');
  const pdf = Buffer.from('%PDF-1.4\n% Koulun lausunto\n%%EOF\n');
  await page.setInputFiles('#file', { name: 'koulun lausunto.pdf', mimeType: 'application/pdf', buffer: pdf });
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/attachments"] button')]);
  assert.match(page.url(), /\/documents\/\d+#files$/);
  assert.equal(await page.$('#file-error'), null);
  const link = page.locator('#files a', { hasText: 'koulun lausunto.pdf' });
  const download = await page.request.get(kirjo.url + await link.getAttribute('href'));
  assert.equal(download.status(), 200);
  assert.match(download.headers()['content-disposition'], /^attachment;/);
  assert.deepEqual(Buffer.from(await download.body()), pdf);
  await axe(page, 'draft with an attachment');
  await page.goto(`${kirjo.url}${client}?kind=decision`);
  assert.match(await page.textContent('main table'), /Lastensuojelun palvelu- tai tukitoimipäätös/);
  await axe(page, 'timeline filtered by kind');
  await page.goto(`${kirjo.url}/search?name=Eetu`);
  await Promise.all([page.waitForLoadState('load'), page.click('table a >> nth=0')]);
  // Editing basic data, and adding a person with errors in the form.
  await page.click('main a[href$="/edit"]');
  await axe(page, 'edit person');
  await page.goto(`${kirjo.url}/clients/new`);
  await axe(page, 'new person');
  await page.fill('#identity_code', '010101-900X');
  await page.fill('#first_names', 'Testi');
  await page.fill('#phones', 'soita minulle');
  await Promise.all([page.waitForLoadState('load'), page.click('main form.person-form button[type=submit]')]);
  assert.match(await page.textContent('[role=alert]'), /Korjaa lomakkeen virheet/);
  assert.equal(await page.getAttribute('#surname', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#phones'), 'soita minulle');
  await axe(page, 'new person with errors');
  // The error summary links to the field.
  await page.click('[role=alert] a[href="#surname"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'surname');
  // Matters: the client's list and its form, the form with errors, a
  // matter with the forms of its steps, the open matters.
  await page.goto(`${cardUrl}/matters`);
  await axe(page, 'matters of a client');
  await page.selectOption('#service_task', 'lastensuojelu');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/matters"] button[type=submit]')]);
  assert.equal(await page.getAttribute('#started_by', 'aria-invalid'), 'true');
  await axe(page, 'open a matter with errors');
  // The demo's matter of Eetu, from the list of open matters.
  await page.goto(`${kirjo.url}/matters`);
  await axe(page, 'open matters');
  await Promise.all([page.waitForLoadState('load'), page.click('main table a[href^="/matters/"]')]);
  assert.match(page.url(), /\/matters\/\d+$/);
  await axe(page, 'matter');
  await page.goto(`${kirjo.url}/account`);
  await axe(page, 'account');
  await page.goto(`${kirjo.url}/account/trail`);
  assert.match(await page.textContent('h1'), /Omat käyttöni/);
  await axe(page, 'own trail');
  await page.goto(`${kirjo.url}/account/password`);
  await axe(page, 'password');
  // Errors are tied to their fields.
  await page.fill('#current_password', DEMO_PASSWORD);
  await page.fill('#new_password', 'lyhyt');
  await page.fill('#repeat_password', 'lyhyt');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/account/password"] button')]);
  assert.equal(await page.getAttribute('#new_password', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#new_password', 'aria-describedby'), 'new_password-error');
  assert.match(await page.textContent('#new_password-error'), /12/);
  await axe(page, 'password error');
  await page.goto(`${kirjo.url}/reauth?back=/account`);
  await axe(page, 'reauth');
  await page.goto(`${kirjo.url}/accessibility`);
  await axe(page, 'accessibility statement');
  await page.goto(`${kirjo.url}/no-such-page`);
  assert.equal(await page.textContent('h1'), 'Sivua ei löydy');
  await axe(page, 'not found');
  await page.goto(`${kirjo.url}/data-protection`);
  assert.match(await page.textContent('h1'), /Ei käyttöoikeutta/);
  await axe(page, 'forbidden');
});

test('the supervisor and a worker opening a client with a stated purpose', async () => {
  const page = await newPage();
  await signIn(page, kirjo.url, 'leena.esihenkilo');
  await page.click('nav.main-nav a[href="/supervision"]');
  assert.match(await page.textContent('h1'), /Esihenkilö/);
  await axe(page, 'supervision');
  await page.goto(`${kirjo.url}/statistics`);
  await axe(page, 'statistics');
  await page.goto(`${kirjo.url}/matters`);
  await axe(page, 'unit matters');
  // The demo's decision that waits for Leena: she decides it (signed in
  // just now, without a second factor, her password is the step-up). Its
  // serving is recorded by a client worker, not by her.
  await Promise.all([page.waitForLoadState('load'), page.click('#to-decide-heading + ul a')]);
  const draftUrl = page.url();
  await axe(page, 'decision to decide');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/decide"] button')]);
  assert.equal(page.url(), draftUrl);
  assert.match(await page.textContent('main'), /Valitusosoitus/);
  await axe(page, 'decided decision');
  assert.equal(await page.$('form[action$="/service"]'), null);
  await page.goto(`${kirjo.url}/supervision`);
  // A sample of the unit's accesses, and its review.
  await page.fill('#size', '5');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/supervision/samples"] button')]);
  assert.match(page.url(), /\/supervision\/samples\/\d+$/);
  await axe(page, 'sample');
  // Pekka (adult services) opens a child-welfare client of Sari's: the page
  // asks for a purpose, and a purpose from adult services does not open it.
  const sari = await newPage();
  await signIn(sari, kirjo.url, 'sari.sosiaalityontekija');
  await sari.goto(`${kirjo.url}/search?name=M%C3%A4kinen`);
  const href = await sari.getAttribute('table a >> nth=0', 'href');
  const worker = await newPage();
  await signIn(worker, kirjo.url, 'pekka.sosiaaliohjaaja');
  await worker.goto(`${kirjo.url}${href}`);
  assert.match(await worker.textContent('h1'), /Käyttötarkoitus/);
  await axe(worker, 'purpose');
  await worker.click('label[for=purpose-urgent_matter]');
  assert.ok(await worker.isChecked('#purpose-urgent_matter'));
  await worker.fill('#purpose_text', 'asiakas soitti, oma työntekijä lomalla');
  await Promise.all([worker.waitForLoadState('load'), worker.click('main form button[type=submit]')]);
  assert.match(await worker.textContent('[role=alert]'), /ei avaa tämän asiakkaan tietoja/);
  assert.match(await worker.textContent('.explanation[lang=en]'), /denied/);
  assert.doesNotMatch(await worker.textContent('main'), /Mäkinen/);
  await axe(worker, 'purpose refused');
  // An adult client outside Pekka's relationships: found by a search with a
  // stated purpose, and opened with it.
  await worker.goto(`${kirjo.url}/search`);
  await worker.click('details.outside-search summary');
  await worker.fill('#outside_name', 'Nieminen');
  await worker.click('label[for=search-purpose-urgent_matter]');
  await worker.fill('#search_purpose_text', 'asiakas soitti, oma työntekijä lomalla');
  await Promise.all([worker.waitForLoadState('load'), worker.click('form.outside-form button[type=submit]')]);
  await axe(worker, 'purpose search results');
  await Promise.all([worker.waitForLoadState('load'), worker.click('form.open-with-purpose button')]);
  assert.match(await worker.textContent('h1'), /Nieminen/);
});

test('a wrong password is refused without saying which part was wrong', async () => {
  const page = await newPage();
  await signIn(page, kirjo.url, 'sari.sosiaalityontekija', 'väärä salasana tämä on');
  assert.match(page.url(), /\/sign-in$/);
  assert.match(await page.textContent('[role=alert]'), /Käyttäjätunnus tai salasana on väärin/);
  // The name stays, the password does not.
  assert.equal(await page.inputValue('#username'), 'sari.sosiaalityontekija');
  assert.equal(await page.inputValue('#password'), '');
  await axe(page, 'sign-in error');
  await signIn(page, kirjo.url, 'ei.ketaan', 'väärä salasana tämä on');
  assert.match(await page.textContent('[role=alert]'), /Käyttäjätunnus tai salasana on väärin/);
});

test('repeated failures lock the account, even against the right password', async () => {
  const page = await newPage();
  for (let i = 0; i < 5; i += 1) {
    await signIn(page, kirjo.url, 'outi.sijainen', `väärä salasana ${i} ${i}`);
    assert.match(await page.textContent('[role=alert]'), /väärin/);
  }
  await signIn(page, kirjo.url, 'outi.sijainen');
  assert.match(await page.textContent('[role=alert]'), /Liian monta epäonnistunutta yritystä/);
  assert.match(page.url(), /\/sign-in$/);
  await axe(page, 'locked');
});

test('sign in with password and TOTP, then sign out', async () => {
  assert.ok(kirjo.totpSecret, `the secret is printed:\n${kirjo.printed}`);
  const page = await newPage();
  await signIn(page, kirjo.url, 'aino.paakayttaja');
  assert.match(page.url(), /\/sign-in\/second-factor$/);
  await axe(page, 'second factor');
  // A wrong code first.
  const right = totp(kirjo.totpSecret);
  await page.fill('#code', right === '000000' ? '111111' : '000000');
  await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');
  assert.match(await page.textContent('#code-error'), /väärä/);
  await axe(page, 'second factor error');
  await page.fill('#code', right);
  await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.click('nav.main-nav a[href="/administration"]');
  assert.match(await page.textContent('h1'), /Pääkäyttäjä/);
  await axe(page, 'administration');
  await Promise.all([page.waitForLoadState('load'), page.click('.user-menu button')]);
  assert.match(page.url(), /\/sign-in\?ended=signed-out$/);
  assert.match(await page.textContent('[role=status]'), /Olet kirjautunut ulos/);
  await axe(page, 'signed out');
  await page.goto(`${kirjo.url}/administration`);
  assert.match(page.url(), /\/sign-in\?next=/);
});

test('a new user whose role requires it enrols TOTP and reaches the start page', async () => {
  const page = await newPage();
  await signIn(page, kirjo.url, 'sanna.tietosuoja');
  assert.match(page.url(), /\/account\/second-factor$/);
  assert.ok(await page.isVisible('.qr svg[role=img]'));
  await axe(page, 'enrol');
  // Nothing else opens before enrolment.
  await page.goto(`${kirjo.url}/data-protection`);
  assert.match(page.url(), /\/account\/second-factor$/);
  const secret = (await page.textContent('#secret')).replace(/\s/g, '');
  await page.fill('#code', totp(secret));
  await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  const codes = await page.$$eval('#recovery-codes code', (els) => els.map((e) => e.textContent));
  assert.equal(codes.length, 10);
  await axe(page, 'recovery codes');
  await Promise.all([page.waitForLoadState('load'), page.click('main a.hds-button')]);
  assert.match(await page.textContent('h1'), /Hei, Sanna/);
  await page.click('nav.main-nav a[href="/data-protection"]');
  assert.match(await page.textContent('h1'), /Tietosuoja/);
  await axe(page, 'data protection');
  // A log extract for a data subject, found by identity code.
  await page.fill('#identity_code', '140317A902X');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/data-protection/extract"] button')]);
  assert.match(page.url(), /\/clients\/\d+\/log$/);
  assert.match(await page.textContent('main'), /Sari Saarinen/);
  await axe(page, 'log extract');
  // The next sign-in asks for the code; a recovery code works once.
  const again = await newPage();
  await signIn(again, kirjo.url, 'sanna.tietosuoja');
  assert.match(again.url(), /\/sign-in\/second-factor$/);
  await again.fill('#code', codes[0]);
  await Promise.all([again.waitForLoadState('load'), again.click('main form button[type=submit]')]);
  assert.equal(new URL(again.url()).pathname, '/');
});

test('the language switch changes every page and is remembered for the user', async () => {
  const page = await newPage();
  await signIn(page, kirjo.url, 'pekka.sosiaaliohjaaja');
  await Promise.all([page.waitForLoadState('load'), page.click('nav.languages button[lang=sv]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  assert.match(await page.textContent('h1'), /Hej, Pekka/);
  assert.equal(await page.textContent('nav.main-nav a[aria-current=page]'), 'Mitt arbete');
  await axe(page, 'start (sv)');
  await Promise.all([page.waitForLoadState('load'), page.click('nav.languages button[lang=en]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('h1'), /Hello, Pekka/);
  await axe(page, 'start (en)');
  await page.goto(`${kirjo.url}/search`);
  assert.equal(await page.textContent('h1'), 'Find a client');
  await axe(page, 'search (en)');
  // A new browser, with nothing remembered in it: the user's choice holds.
  const fresh = await newPage({ locale: 'fi-FI' });
  await signIn(fresh, kirjo.url, 'pekka.sosiaaliohjaaja');
  assert.equal(await fresh.getAttribute('html', 'lang'), 'en');
});

test('a forged cross-site POST is refused and changes nothing', async () => {
  const page = await newPage();
  await signIn(page, kirjo.url, 'sari.sosiaalityontekija');
  // Another site (another origin) posts a form to Kirjo in the user's browser.
  const evil = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!DOCTYPE html><html lang="en"><title>x</title><body>
      <form id="f" method="post" action="${kirjo.url}/language">
      <input name="lang" value="en"><input name="back" value="/"><input name="csrf" value="guess"></form>
      <script>document.getElementById('f').submit()</script></body></html>`);
  });
  await new Promise((r) => evil.listen(0, '127.0.0.1', r));
  try {
    const answer = page.waitForResponse((r) => r.url().startsWith(`${kirjo.url}/language`));
    await page.goto(`http://127.0.0.1:${evil.address().port}/`);
    assert.equal((await answer).status(), 403);
  } finally {
    evil.close();
  }
  await page.goto(`${kirjo.url}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fi', 'the language did not change');
  assert.match(await page.textContent('h1'), /Hei, Sari/, 'the session still works');
});

test('pages are never cached or framed, and work without JavaScript, by keyboard and at 200% zoom', async () => {
  // Without JavaScript, in a 640 px wide window (a 1280 px screen at 200%).
  const page = await newPage({ javaScriptEnabled: false, viewport: { width: 640, height: 800 } });
  await signIn(page, kirjo.url, 'sari.sosiaalityontekija');
  const response = await page.goto(`${kirjo.url}/search?name=M%C3%A4kinen`);
  const headers = response.headers();
  assert.equal(headers['cache-control'], 'no-store');
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.ok(await page.isVisible('table a'));
  for (const path of ['/', '/search?name=M%C3%A4kinen', '/account']) {
    await page.goto(`${kirjo.url}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 200% zoom`);
  }
  // By keyboard: the first Tab reaches the skip link, which moves to the content.
  const keys = await newPage();
  await signIn(keys, kirjo.url, 'sari.sosiaalityontekija');
  await keys.goto(`${kirjo.url}/search`);
  await keys.keyboard.press('Tab');
  const first = await keys.evaluate(() => document.activeElement.outerHTML.slice(0, 80));
  assert.match(first, /class="skip-link"/);
  const ring = await keys.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(ring, 'none', 'focus is visible');
  await keys.keyboard.press('Enter');
  assert.equal(await keys.evaluate(() => document.activeElement.id), 'main');
});

test('two edits of a person from the same read: the later one is shown both versions and loses nothing', async () => {
  const page = await newPage();
  await signIn(page, kirjo.url, 'sari.sosiaalityontekija');
  await page.goto(`${kirjo.url}/search?name=Eetu`);
  await Promise.all([page.waitForLoadState('load'), page.click('table a >> nth=0')]);
  const edit = page.url().replace(/\?.*$/, '') + '/edit';
  const other = await page.context().newPage();
  await page.goto(edit);
  await other.goto(edit);
  const submit = 'main form.person-form button[type=submit]';
  await other.fill('#occupation', 'Koululainen (toinen välilehti)');
  await Promise.all([other.waitForLoadState('load'), other.click(submit)]);
  assert.doesNotMatch(other.url(), /\/edit$/, 'the first save went through');
  await page.fill('#occupation', 'Koululainen (ensimmäinen välilehti)');
  await Promise.all([page.waitForLoadState('load'), page.click(submit)]);
  assert.match(await page.textContent('#conflict-heading'), /Joku muu tallensi tämän sillä välin/);
  const table = await page.textContent('main table');
  assert.match(table, /ensimmäinen välilehti/);
  assert.match(table, /toinen välilehti/);
  assert.equal(await page.inputValue('#occupation'), 'Koululainen (ensimmäinen välilehti)', 'what was typed is kept in the form');
  await axe(page, 'edit conflict');
  // Saving again from the conflict page saves what was typed.
  await Promise.all([page.waitForLoadState('load'), page.click(submit)]);
  await page.goto(edit);
  assert.equal(await page.inputValue('#occupation'), 'Koululainen (ensimmäinen välilehti)');
});

test('an idle session ends after the configured time', async () => {
  const waited = Date.now() - idle.since;
  const needed = 61000 - waited;
  if (needed > 0) await new Promise((r) => setTimeout(r, needed));
  await idle.page.goto(`${kirjo.url}/search`);
  assert.match(idle.page.url(), /\/sign-in\?next=\/search&ended=expired$/);
  assert.match(await idle.page.textContent('[role=status]'), /Istuntosi päättyi/);
});

test('axe-core checked every page', () => {
  const expected = ['sign-in', 'start', 'search', 'search results', 'client card', 'account', 'password',
    'reauth', 'accessibility statement', 'not found', 'forbidden', 'supervision', 'purpose',
    'second factor', 'administration', 'enrol', 'recovery codes', 'data protection', 'locked', 'signed out',
    'client card, revealed', 'edit person', 'new person', 'new person with errors', 'sample', 'own trail',
    'log extract', 'my clients', 'purpose search results',
    'documents', 'new entry with errors', 'draft', 'confirm completion', 'correction', 'document with history',
    'notification', 'new notification', 'new notification with errors', 'guardian answer',
    'prohibition form', 'prohibition form with errors',
    'new decision', 'new decision with errors', 'decision draft', 'attachment refused',
    'draft with an attachment', 'timeline filtered by kind', 'edit conflict',
    'open a relationship', 'open a relationship with errors', 'decided decision', 'decision serving with errors'];
  const missing = expected.filter((name) => !checked.has(name));
  assert.deepEqual(missing, []);
});
