// Security keys and passkeys (WebAuthn) on Kirjo's pages. Without this
// script, or in a browser without WebAuthn, the pages work as before: the
// code field stays and the controls for keys stay hidden.
//
// - A form with a `button[data-webauthn="get"]` (the second-factor step,
//   a resumed form, /reauth): that button asks the key, puts its answer in
//   the form's `assertion` field and sends the form.
// - `form[data-webauthn-create]` (/account/security-keys) registers a key
//   through the JSON API and reloads the page.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function b64(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = '';
    for (let i = 0; i < bytes.length; i += 1) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function unb64(text) {
    const plain = text.replace(/-/g, '+').replace(/_/g, '/');
    const padded = plain + '==='.slice((plain.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body || {}),
    });
  }

  function say(box, text) {
    if (box) box.textContent = text;
  }

  function failure(error, element) {
    return error && error.name === 'NotAllowedError'
      ? element.dataset.msgCancelled
      : element.dataset.msgFailed;
  }

  // Using a key instead of a code.
  document.querySelectorAll('button[data-webauthn="get"]').forEach((button) => {
    const form = button.form;
    const box = button.closest('[data-webauthn-get]');
    const status = box && box.querySelector('[data-webauthn-status]');
    if (box) box.hidden = false;
    form.addEventListener('submit', async (event) => {
      if (event.submitter !== button) return;
      event.preventDefault();
      button.disabled = true;
      say(status, '');
      try {
        const begun = await post('/api/session/webauthn/begin');
        if (!begun.ok) throw new Error(`begin: ${begun.status}`);
        const o = await begun.json();
        const credential = await navigator.credentials.get({
          publicKey: {
            challenge: unb64(o.challenge),
            rpId: o.rpId,
            timeout: o.timeout,
            userVerification: o.userVerification,
            allowCredentials: o.allowCredentials.map((c) => ({ type: c.type, id: unb64(c.id) })),
          },
        });
        const r = credential.response;
        form.elements.assertion.value = JSON.stringify({
          id: b64(credential.rawId),
          client_data_json: b64(r.clientDataJSON),
          authenticator_data: b64(r.authenticatorData),
          signature: b64(r.signature),
          user_handle: r.userHandle ? b64(r.userHandle) : null,
        });
        // The code field is not needed with a key.
        if (form.elements.code) form.elements.code.value = '';
        form.submit();
      } catch (error) {
        button.disabled = false;
        say(status, failure(error, button));
      }
    });
  });

  // Registering a key.
  document.querySelectorAll('form[data-webauthn-create]').forEach((form) => {
    const status = form.querySelector('[data-webauthn-status]');
    const name = form.elements.name;
    const button = form.querySelector('button[type="submit"]');
    form.hidden = false;
    document.querySelectorAll('[data-webauthn-unsupported]').forEach((p) => { p.hidden = true; });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      say(status, '');
      if (!name.value.trim()) {
        say(status, form.dataset.msgName);
        name.focus();
        return;
      }
      button.disabled = true;
      try {
        const begun = await post('/api/me/webauthn/register/begin');
        if (begun.status === 401) {
          window.location.assign('/reauth?back=/account/security-keys');
          return;
        }
        if (!begun.ok) throw new Error(`begin: ${begun.status}`);
        const o = await begun.json();
        const credential = await navigator.credentials.create({
          publicKey: {
            rp: o.rp,
            user: { id: unb64(o.user.id), name: o.user.name, displayName: o.user.displayName },
            challenge: unb64(o.challenge),
            pubKeyCredParams: o.pubKeyCredParams,
            timeout: o.timeout,
            attestation: o.attestation,
            authenticatorSelection: o.authenticatorSelection,
            excludeCredentials: o.excludeCredentials.map((c) => ({ type: c.type, id: unb64(c.id) })),
          },
        });
        const done = await post('/api/me/webauthn/register/finish', {
          name: name.value.trim(),
          id: b64(credential.rawId),
          client_data_json: b64(credential.response.clientDataJSON),
          attestation_object: b64(credential.response.attestationObject),
        });
        if (done.status === 422) {
          say(status, form.dataset.msgName);
          button.disabled = false;
          name.focus();
          return;
        }
        if (done.status !== 201) throw new Error(`finish: ${done.status}`);
        window.location.assign('/account/security-keys?added=1');
      } catch (error) {
        button.disabled = false;
        say(status, failure(error, form));
      }
    });
  });
}());
