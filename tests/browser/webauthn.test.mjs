// Security keys and passkeys in Chromium, with the DevTools Protocol's
// virtual authenticator (CTAP2, user verification): register a passkey on
// the account page, sign out, sign in with the password and the passkey,
// and use it for the step-up. Every new page passes axe-core. Run by
// ./scripts/test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKirjo, launch, signIn, newPage, checkAxe, DEMO_PASSWORD } from './kirjo.mjs';

let kirjo;
let browser;
let base;

before(async () => {
  kirjo = await startKirjo();
  // WebAuthn takes a host name, not an address: the relying party is
  // `localhost` (Kirjo's default public address with a loopback listen).
  base = `http://localhost:${kirjo.port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await kirjo?.stop();
});

async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

test('a passkey is registered on the account page and signs in instead of the code', async () => {
  const page = await newPage(browser);
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  await signIn(page, base, 'pekka.sosiaaliohjaaja');
  assert.equal(new URL(page.url()).pathname, '/');

  await page.goto(`${base}/account`);
  await Promise.all([page.waitForLoadState('load'), page.click('a[href="/account/security-keys"]')]);
  assert.equal(new URL(page.url()).pathname, '/account/security-keys');
  // With the script and WebAuthn, the form shows and the note does not.
  await page.waitForSelector('form[data-webauthn-create]:not([hidden])');
  assert.equal(await page.isVisible('[data-webauthn-unsupported]'), false);
  await checkAxe(page, 'security keys, none yet');

  await page.fill('#key-name', 'Työkone');
  await Promise.all([
    page.waitForURL(/\/account\/security-keys\?added=1$/),
    page.click('form[data-webauthn-create] button[type=submit]'),
  ]);
  assert.match(await page.textContent('table'), /Työkone/);
  await checkAxe(page, 'security keys, one added');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  const registeredCount = credentials[0].signCount;

  // Sign out; the password now leads to the second factor, where the
  // passkey answers instead of the code.
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/sign-out"] button')]);
  await signIn(page, base, 'pekka.sosiaaliohjaaja');
  assert.equal(new URL(page.url()).pathname, '/sign-in/second-factor');
  await page.waitForSelector('[data-webauthn-get]:not([hidden])');
  await checkAxe(page, 'second factor with a passkey');
  await Promise.all([
    page.waitForURL(`${base}/`),
    page.click('button[data-webauthn="get"]'),
  ]);
  assert.match(await page.textContent('h1'), /Pekka/);
  const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  // The counter moved on, and Kirjo took it.
  assert.equal(after.credentials[0].signCount, registeredCount + 1);

  // The step-up: the password and the passkey.
  await page.goto(`${base}/reauth?back=/account`);
  await page.waitForSelector('[data-webauthn-get]:not([hidden])');
  await checkAxe(page, 'reauth with a passkey');
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL(`${base}/account`),
    page.click('button[data-webauthn="get"]'),
  ]);
  assert.match(await page.textContent('main'), /1 rekisteröity/);
  await page.context().close();
});

test('without a registered key the pages offer none, and a cancelled ceremony says so', async () => {
  const page = await newPage(browser);
  // An authenticator that never finds the user present: the ceremony
  // times out or is refused, as when the user cancels.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasUserVerification: false, automaticPresenceSimulation: false },
  });
  await signIn(page, base, 'sari.sosiaalityontekija');
  await page.goto(`${base}/reauth?back=/`);
  assert.equal(await page.$('[data-webauthn-get]'), null);
  await page.goto(`${base}/account/security-keys`);
  await page.fill('#key-name', 'Kadonnut');
  await page.evaluate(() => {
    // Shorten the wait: the authenticator will not answer.
    const create = navigator.credentials.create.bind(navigator.credentials);
    navigator.credentials.create = (o) => create({ ...o, publicKey: { ...o.publicKey, timeout: 1000 } });
  });
  await page.click('form[data-webauthn-create] button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-webauthn-status]').textContent.length > 0, null, { timeout: 30000 });
  assert.match(await page.textContent('[data-webauthn-status]'), /peruttiin|ei voitu/);
  await checkAxe(page, 'security keys, a failed registration');
  await page.context().close();
});
