// Browser test of the public privacy notice (issue 18): without signing in,
// in each language, with its lang attribute and headings, checked with
// axe-core (WCAG 2.1 AA); its "print PDF" link gives a PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKirjo, launch, newPage, checkAxe } from './kirjo.mjs';

let kirjo;
let browser;

before(async () => {
  kirjo = await startKirjo();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await kirjo?.stop();
});

test('the privacy notice is public, in three languages, and accessible', async () => {
  for (const [lang, h1, pdfLabel] of [
    ['fi', 'Tietosuojaseloste: Sosiaalihuollon asiakasrekisteri', 'Tulosta PDF'],
    ['sv', 'Dataskyddsbeskrivning: Socialvårdens klientregister', 'Skriv ut PDF'],
    ['en', 'Privacy notice: Social welfare client register', 'Print PDF'],
  ]) {
    const page = await newPage(browser);
    const answer = await page.goto(`${kirjo.url}/privacy-notice?lang=${lang}`);
    assert.equal(answer.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.equal((await page.textContent('h1')).trim(), h1);
    assert.ok((await page.locator('main h2').count()) >= 18);
    await checkAxe(page, `privacy notice (${lang})`);
    const href = await page.getAttribute(`a:has-text("${pdfLabel}")`, 'href');
    const pdf = await page.request.get(`${kirjo.url}${href}`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    await page.context().close();
  }
});
