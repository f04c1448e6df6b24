// Writes screenshots of the main pages into docs/screenshots/, for the
// README. Run by ./scripts/screenshots (which builds Kirjo first).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startKirjo, launch, signIn, totp, root } from './kirjo.mjs';

const out = join(root, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const kirjo = await startKirjo();
const browser = await launch();
try {
  const page = async (locale = 'fi-FI') =>
    (await browser.newContext({ locale, viewport: { width: 1280, height: 800 } })).newPage();
  const shot = async (p, name) => {
    await p.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    console.log(`docs/screenshots/${name}.png`);
  };

  const anon = await page();
  await anon.goto(`${kirjo.url}/sign-in`);
  await shot(anon, 'sign-in');

  const sari = await page();
  await signIn(sari, kirjo.url, 'sari.sosiaalityontekija');
  await shot(sari, 'start');
  await sari.goto(`${kirjo.url}/search?name=M%C3%A4kinen`);
  await shot(sari, 'search');
  await sari.click('table a >> nth=0');
  await sari.waitForLoadState('load');
  await shot(sari, 'client');
  await sari.click('main a[href$="/documents"]');
  await sari.waitForLoadState('load');
  await shot(sari, 'documents');
  await sari.goto(`${kirjo.url}/`);
  await shot(sari, 'start');
  await sari.click('#deadlines-heading ~ div a >> nth=1');
  await sari.waitForLoadState('load');
  await shot(sari, 'notification');
  // A decided decision waiting for a serving, and a serving sent back.
  await sari.goto(`${kirjo.url}/search?name=Eetu`);
  await Promise.all([sari.waitForLoadState('load'), sari.click('table a >> nth=0')]);
  await sari.goto(`${sari.url()}/documents?kind=decision`);
  const decisions = await sari.$$eval('main table a[href^="/documents/"]', (as) => as.map((a) => a.getAttribute('href')));
  for (const href of decisions) {
    await sari.goto(kirjo.url + href);
    if (await sari.$('form[action$="/service"]')) break;
  }
  await shot(sari, 'decision');
  const serving = sari.locator('form[action$="/service"]').first();
  await serving.locator('input[name=sent_on]').fill('2099-01-01');
  await Promise.all([sari.waitForLoadState('load'), serving.locator('button[type=submit]').click()]);
  await shot(sari, 'decision-serving-refused');

  const leena = await page();
  await signIn(leena, kirjo.url, 'leena.esihenkilo');
  await leena.goto(`${kirjo.url}/matters`);
  await shot(leena, 'matters-supervisor');

  const aino = await page();
  await signIn(aino, kirjo.url, 'aino.paakayttaja');
  await shot(aino, 'second-factor');
  await aino.fill('#code', totp(kirjo.totpSecret));
  await Promise.all([aino.waitForLoadState('load'), aino.click('main form button[type=submit]')]);
  await aino.goto(`${kirjo.url}/administration`);
  await shot(aino, 'administration');

  const sanna = await page('sv-FI');
  await signIn(sanna, kirjo.url, 'sanna.tietosuoja');
  await shot(sanna, 'enrol-sv');

  const pekka = await page('en-GB');
  await signIn(pekka, kirjo.url, 'pekka.sosiaaliohjaaja');
  await pekka.goto(`${kirjo.url}/search?name=Virtanen`);
  await shot(pekka, 'search-en');
} finally {
  await browser.close();
  await kirjo.stop();
}
