//! The WebAuthn verifier (Web Authentication Level 2, §7): what Kirjo checks
//! of a registration (`navigator.credentials.create`) and of an assertion
//! (`navigator.credentials.get`). Pure functions; the challenges and the
//! credentials are kept by `kirjo_store::webauthn`, the ceremonies are in
//! `account::security_keys`.
//!
//! Attestation is not verified: Kirjo asks for `"none"` and, when an
//! authenticator sends a statement anyway (`packed`, self attestation,
//! ...), ignores it. A credential is trusted because the user registered it
//! in a session that had just given the password and the existing factor,
//! not because of who made the authenticator.
//!
//! Public keys: ES256 (COSE -7, P-256), EdDSA (-8, Ed25519) and RS256
//! (-257, RSA 2048..8192), verified with `ring`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ciborium::value::Value;
use sha2::Digest;
use sha2::Sha256;

/// COSE algorithm identifiers Kirjo accepts, in order of preference.
pub const ES256: i64 = -7;
pub const EDDSA: i64 = -8;
pub const RS256: i64 = -257;
pub const ALGORITHMS: [i64; 3] = [ES256, EDDSA, RS256];

/// Flags of the authenticator data.
const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const ATTESTED: u8 = 0x40;
const EXTENSIONS: u8 = 0x80;

/// The relying party: Kirjo as the browser sees it, from the configured
/// public address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    /// The host name (`kirjo.example.fi`): what credentials are bound to.
    pub id: String,
    /// The origin pages are served from (`https://kirjo.example.fi`).
    pub origin: String,
    /// The name an authenticator may show.
    pub name: String,
}

impl RelyingParty {
    /// From a public address such as `https://kirjo.example.fi` or
    /// `http://localhost:8080`. `None` when it has no host name WebAuthn
    /// can use (an IP address), or is not http(s), or has a path.
    pub fn from_public_url(url: &str, name: &str) -> Option<Self> {
        let url = url.trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        if rest.is_empty() || rest.contains(['/', '?', '#', '@']) {
            return None;
        }
        let host = match rest.rsplit_once(':') {
            Some((h, port)) if port.parse::<u16>().is_ok() => h,
            Some(_) => return None,
            None => rest,
        };
        let host = host.to_ascii_lowercase();
        let is_name = !host.is_empty()
            && host.chars().any(|c| c.is_ascii_alphabetic())
            && !host.starts_with('[')
            && host
                .split('.')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        // A top-level label of digits only would make an IPv4 address.
        let numeric_tld = host
            .rsplit('.')
            .next()
            .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()));
        if !is_name || numeric_tld {
            return None;
        }
        let scheme = if url.starts_with("https://") {
            "https"
        } else {
            "http"
        };
        Some(Self {
            id: host,
            origin: format!("{scheme}://{}", rest.to_ascii_lowercase()),
            name: name.to_owned(),
        })
    }
}

/// Why a response was refused. Each is a failed attempt, counted like a
/// wrong code; the reason goes to the use log only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not the shape WebAuthn gives.
    Malformed(&'static str),
    /// `clientDataJSON.type` is not the ceremony's.
    WrongType,
    /// The challenge was not issued to this session for this ceremony, was
    /// used already, or expired.
    WrongChallenge,
    /// `clientDataJSON.origin` is not Kirjo's (or `crossOrigin` is set).
    WrongOrigin,
    /// The authenticator data's `rpIdHash` is not of Kirjo's relying party id.
    WrongRelyingParty,
    /// The authenticator did not confirm the user's presence.
    UserNotPresent,
    /// A public key of a kind Kirjo does not accept.
    UnsupportedKey,
    /// The signature does not verify with the credential's public key.
    BadSignature,
    /// The signature counter did not move forward: a possible cloned key.
    CounterNotIncreased { stored: u32, given: u32 },
    /// No such credential is registered.
    UnknownCredential,
    /// The credential is registered to another user.
    AnotherUsersCredential,
}

impl Refusal {
    /// The reason for the use log.
    pub fn reason(&self) -> String {
        match self {
            Self::Malformed(what) => format!("malformed response ({what})"),
            Self::WrongType => "wrong ceremony type in the client data".to_owned(),
            Self::WrongChallenge => "wrong, used or expired challenge".to_owned(),
            Self::WrongOrigin => "wrong origin in the client data".to_owned(),
            Self::WrongRelyingParty => "wrong relying party id hash".to_owned(),
            Self::UserNotPresent => "user presence not confirmed".to_owned(),
            Self::UnsupportedKey => "unsupported public key".to_owned(),
            Self::BadSignature => "signature does not verify".to_owned(),
            Self::CounterNotIncreased { stored, given } => format!(
                "signature counter did not increase (stored {stored}, given {given}): possible cloned key"
            ),
            Self::UnknownCredential => "unknown credential".to_owned(),
            Self::AnotherUsersCredential => "the credential is another user's".to_owned(),
        }
    }
}

/// Base64url without padding, as WebAuthn's JSON uses.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url (padding tolerated).
pub fn unb64(text: &str) -> Result<Vec<u8>, Refusal> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| Refusal::Malformed("base64url"))
}

/// The ceremony a client data belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Create,
    Get,
}

/// `clientDataJSON`, parsed.
#[derive(Debug, Clone)]
pub struct ClientData {
    pub kind: String,
    pub challenge: Vec<u8>,
    pub origin: String,
    pub cross_origin: bool,
}

/// Parses `clientDataJSON`; the challenge is then looked up (and used up)
/// before anything else is checked.
pub fn client_data(json: &[u8]) -> Result<ClientData, Refusal> {
    #[derive(serde::Deserialize)]
    struct Raw {
        #[serde(rename = "type")]
        kind: String,
        challenge: String,
        origin: String,
        #[serde(rename = "crossOrigin", default)]
        cross_origin: bool,
    }
    let raw: Raw =
        serde_json::from_slice(json).map_err(|_| Refusal::Malformed("clientDataJSON"))?;
    Ok(ClientData {
        kind: raw.kind,
        challenge: unb64(&raw.challenge)?,
        origin: raw.origin,
        cross_origin: raw.cross_origin,
    })
}

impl ClientData {
    /// The ceremony's type and Kirjo's origin, not from a frame.
    pub fn check(&self, kind: Kind, rp: &RelyingParty) -> Result<(), Refusal> {
        let expected = match kind {
            Kind::Create => "webauthn.create",
            Kind::Get => "webauthn.get",
        };
        if self.kind != expected {
            return Err(Refusal::WrongType);
        }
        if self.origin != rp.origin || self.cross_origin {
            return Err(Refusal::WrongOrigin);
        }
        Ok(())
    }
}

/// Authenticator data (§6.1), parsed.
#[derive(Debug, Clone)]
pub struct AuthenticatorData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub sign_count: u32,
    /// At registration: the credential id and its COSE public key (the
    /// bytes as given).
    pub attested: Option<(Vec<u8>, Vec<u8>)>,
}

impl AuthenticatorData {
    pub fn user_present(&self) -> bool {
        self.flags & USER_PRESENT != 0
    }

    pub fn user_verified(&self) -> bool {
        self.flags & USER_VERIFIED != 0
    }

    /// The relying party id's hash, and the user present.
    fn check(&self, rp: &RelyingParty) -> Result<(), Refusal> {
        if self.rp_id_hash[..] != Sha256::digest(rp.id.as_bytes())[..] {
            return Err(Refusal::WrongRelyingParty);
        }
        if !self.user_present() {
            return Err(Refusal::UserNotPresent);
        }
        Ok(())
    }
}

/// Reads one CBOR item from the front of `bytes`; answers it and how many
/// bytes it took.
fn cbor_item(bytes: &[u8]) -> Result<(Value, usize), Refusal> {
    let mut rest = bytes;
    let value: Value =
        ciborium::de::from_reader(&mut rest).map_err(|_| Refusal::Malformed("CBOR"))?;
    Ok((value, bytes.len() - rest.len()))
}

/// Parses authenticator data.
pub fn authenticator_data(bytes: &[u8]) -> Result<AuthenticatorData, Refusal> {
    let short = Refusal::Malformed("authenticator data too short");
    if bytes.len() < 37 {
        return Err(short);
    }
    let mut rp_id_hash = [0u8; 32];
    rp_id_hash.copy_from_slice(&bytes[..32]);
    let flags = bytes[32];
    let sign_count = u32::from_be_bytes([bytes[33], bytes[34], bytes[35], bytes[36]]);
    let mut rest = &bytes[37..];
    let attested = if flags & ATTESTED != 0 {
        if rest.len() < 18 {
            return Err(short);
        }
        let len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
        rest = &rest[18..];
        if len == 0 || len > 1023 || rest.len() < len {
            return Err(Refusal::Malformed("credential id"));
        }
        let id = rest[..len].to_vec();
        rest = &rest[len..];
        let (_, used) = cbor_item(rest)?;
        let key = rest[..used].to_vec();
        rest = &rest[used..];
        Some((id, key))
    } else {
        None
    };
    if flags & EXTENSIONS != 0 {
        let (_, used) = cbor_item(rest)?;
        rest = &rest[used..];
    }
    if !rest.is_empty() {
        return Err(Refusal::Malformed("trailing bytes in authenticator data"));
    }
    Ok(AuthenticatorData {
        rp_id_hash,
        flags,
        sign_count,
        attested,
    })
}

fn int_key(map: &[(Value, Value)], key: i64) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| {
            k.as_integer()
                .is_some_and(|i| i128::from(i) == i128::from(key))
        })
        .map(|(_, v)| v)
}

fn int_of(v: Option<&Value>) -> Option<i64> {
    v.and_then(Value::as_integer)
        .and_then(|i| i64::try_from(i).ok())
}

fn bytes_of(v: Option<&Value>) -> Option<&[u8]> {
    v.and_then(Value::as_bytes).map(Vec::as_slice)
}

/// A COSE public key Kirjo can verify with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// P-256, as an uncompressed point.
    Es256(Vec<u8>),
    /// Ed25519.
    EdDsa(Vec<u8>),
    /// RSA modulus and exponent.
    Rs256 { n: Vec<u8>, e: Vec<u8> },
}

impl PublicKey {
    /// Parses a COSE_Key (RFC 9053).
    pub fn from_cose(bytes: &[u8]) -> Result<Self, Refusal> {
        let (value, used) = cbor_item(bytes)?;
        if used != bytes.len() {
            return Err(Refusal::Malformed("trailing bytes after the key"));
        }
        let map = value.as_map().ok_or(Refusal::Malformed("COSE key"))?;
        let kty = int_of(int_key(map, 1));
        let alg = int_of(int_key(map, 3));
        match (kty, alg) {
            (Some(2), Some(ES256)) => {
                let crv = int_of(int_key(map, -1));
                let x = bytes_of(int_key(map, -2));
                let y = bytes_of(int_key(map, -3));
                match (crv, x, y) {
                    (Some(1), Some(x), Some(y)) if x.len() == 32 && y.len() == 32 => {
                        let mut point = vec![4u8];
                        point.extend_from_slice(x);
                        point.extend_from_slice(y);
                        Ok(Self::Es256(point))
                    }
                    _ => Err(Refusal::UnsupportedKey),
                }
            }
            (Some(1), Some(EDDSA)) => {
                let crv = int_of(int_key(map, -1));
                match (crv, bytes_of(int_key(map, -2))) {
                    (Some(6), Some(x)) if x.len() == 32 => Ok(Self::EdDsa(x.to_vec())),
                    _ => Err(Refusal::UnsupportedKey),
                }
            }
            (Some(3), Some(RS256)) => {
                match (bytes_of(int_key(map, -1)), bytes_of(int_key(map, -2))) {
                    (Some(n), Some(e)) if n.len() >= 256 && n.len() <= 1024 && !e.is_empty() => {
                        Ok(Self::Rs256 {
                            n: n.to_vec(),
                            e: e.to_vec(),
                        })
                    }
                    _ => Err(Refusal::UnsupportedKey),
                }
            }
            _ => Err(Refusal::UnsupportedKey),
        }
    }

    /// The COSE algorithm.
    pub fn algorithm(&self) -> i64 {
        match self {
            Self::Es256(_) => ES256,
            Self::EdDsa(_) => EDDSA,
            Self::Rs256 { .. } => RS256,
        }
    }

    /// Whether `signature` is this key's over `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        use ring::signature as sig;
        match self {
            Self::Es256(point) => sig::UnparsedPublicKey::new(&sig::ECDSA_P256_SHA256_ASN1, point)
                .verify(message, signature)
                .is_ok(),
            Self::EdDsa(key) => sig::UnparsedPublicKey::new(&sig::ED25519, key)
                .verify(message, signature)
                .is_ok(),
            Self::Rs256 { n, e } => sig::RsaPublicKeyComponents { n, e }
                .verify(&sig::RSA_PKCS1_2048_8192_SHA256, message, signature)
                .is_ok(),
        }
    }
}

/// A credential a registration gives.
#[derive(Debug, Clone)]
pub struct Registered {
    pub credential_id: Vec<u8>,
    /// The COSE_Key as given, to be stored.
    pub cose_key: Vec<u8>,
    pub algorithm: i64,
    pub sign_count: u32,
    pub user_verified: bool,
}

/// Checks a registration's attestation object (§7.1 steps 12-21, without
/// the attestation statement): the relying party, the user present, a
/// credential with a key Kirjo accepts. The client data is checked apart.
pub fn registration(attestation_object: &[u8], rp: &RelyingParty) -> Result<Registered, Refusal> {
    let (value, used) = cbor_item(attestation_object)?;
    if used != attestation_object.len() {
        return Err(Refusal::Malformed("trailing bytes after the attestation"));
    }
    let map = value
        .as_map()
        .ok_or(Refusal::Malformed("attestation object"))?;
    let field = |name: &str| {
        map.iter()
            .find(|(k, _)| k.as_text() == Some(name))
            .map(|(_, v)| v)
    };
    // The format is named but its statement not verified (see above).
    field("fmt")
        .and_then(Value::as_text)
        .ok_or(Refusal::Malformed("attestation format"))?;
    let auth_data = bytes_of(field("authData")).ok_or(Refusal::Malformed("authData"))?;
    let data = authenticator_data(auth_data)?;
    data.check(rp)?;
    let Some((credential_id, cose_key)) = data.attested.clone() else {
        return Err(Refusal::Malformed("no attested credential"));
    };
    let key = PublicKey::from_cose(&cose_key)?;
    Ok(Registered {
        credential_id,
        cose_key,
        algorithm: key.algorithm(),
        sign_count: data.sign_count,
        user_verified: data.user_verified(),
    })
}

/// What a verified assertion tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asserted {
    pub sign_count: u32,
    pub user_verified: bool,
}

/// Checks an assertion (§7.2 steps 13-21) with the stored credential: the
/// relying party, the user present, the signature over authenticatorData
/// and the hash of clientDataJSON, and the counter. The client data is
/// checked apart (its challenge against the store).
pub fn assertion(
    authenticator_data_bytes: &[u8],
    client_data_json: &[u8],
    signature: &[u8],
    cose_key: &[u8],
    stored_count: u32,
    rp: &RelyingParty,
) -> Result<Asserted, Refusal> {
    let data = authenticator_data(authenticator_data_bytes)?;
    data.check(rp)?;
    let key = PublicKey::from_cose(cose_key)?;
    let mut signed = authenticator_data_bytes.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data_json));
    if !key.verifies(&signed, signature) {
        return Err(Refusal::BadSignature);
    }
    let given = data.sign_count;
    if (given != 0 || stored_count != 0) && given <= stored_count {
        return Err(Refusal::CounterNotIncreased {
            stored: stored_count,
            given,
        });
    }
    Ok(Asserted {
        sign_count: given,
        user_verified: data.user_verified(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::EcdsaKeyPair;
    use ring::signature::Ed25519KeyPair;
    use ring::signature::KeyPair;
    use ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING;

    fn rp() -> RelyingParty {
        RelyingParty::from_public_url("https://kirjo.example.fi", "Kirjo").unwrap()
    }

    fn cbor(v: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::ser::into_writer(v, &mut out).unwrap();
        out
    }

    fn p256() -> (EcdsaKeyPair, Vec<u8>) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let point = pair.public_key().as_ref();
        let cose = cbor(&Value::Map(vec![
            (Value::from(1), Value::from(2)),
            (Value::from(3), Value::from(-7)),
            (Value::from(-1), Value::from(1)),
            (Value::from(-2), Value::Bytes(point[1..33].to_vec())),
            (Value::from(-3), Value::Bytes(point[33..].to_vec())),
        ]));
        (pair, cose)
    }

    fn auth_data(rp_id: &str, flags: u8, count: u32, attested: Option<(&[u8], &[u8])>) -> Vec<u8> {
        let mut d = Sha256::digest(rp_id.as_bytes()).to_vec();
        d.push(flags);
        d.extend_from_slice(&count.to_be_bytes());
        if let Some((id, key)) = attested {
            d.extend_from_slice(&[0u8; 16]);
            d.extend_from_slice(&(id.len() as u16).to_be_bytes());
            d.extend_from_slice(id);
            d.extend_from_slice(key);
        }
        d
    }

    #[test]
    fn the_relying_party_comes_from_a_host_name_and_never_an_address() {
        let rp = RelyingParty::from_public_url("https://Kirjo.Example.fi/", "K").unwrap();
        assert_eq!(rp.id, "kirjo.example.fi");
        assert_eq!(rp.origin, "https://kirjo.example.fi");
        let local = RelyingParty::from_public_url("http://localhost:8080", "K").unwrap();
        assert_eq!(
            (local.id.as_str(), local.origin.as_str()),
            ("localhost", "http://localhost:8080")
        );
        for bad in [
            "http://127.0.0.1:8080",
            "https://[::1]:8080",
            "ftp://kirjo.example.fi",
            "https://kirjo.example.fi/app",
            "https://user@kirjo.example.fi",
            "https://kirjo.example.fi:port",
            "https://",
        ] {
            assert_eq!(RelyingParty::from_public_url(bad, "K"), None, "{bad}");
        }
    }

    #[test]
    fn client_data_must_be_the_ceremonys_type_from_kirjos_origin() {
        let json = |t: &str, o: &str, cross: bool| {
            format!(
                r#"{{"type":"{t}","challenge":"{}","origin":"{o}","crossOrigin":{cross}}}"#,
                b64(b"abc")
            )
        };
        let rp = rp();
        let ok = client_data(json("webauthn.get", &rp.origin, false).as_bytes()).unwrap();
        assert_eq!(ok.challenge, b"abc");
        assert_eq!(ok.check(Kind::Get, &rp), Ok(()));
        assert_eq!(ok.check(Kind::Create, &rp), Err(Refusal::WrongType));
        let other =
            client_data(json("webauthn.get", "https://evil.example", false).as_bytes()).unwrap();
        assert_eq!(other.check(Kind::Get, &rp), Err(Refusal::WrongOrigin));
        let framed = client_data(json("webauthn.get", &rp.origin, true).as_bytes()).unwrap();
        assert_eq!(framed.check(Kind::Get, &rp), Err(Refusal::WrongOrigin));
        assert!(matches!(client_data(b"{}"), Err(Refusal::Malformed(_))));
    }

    #[test]
    fn a_registration_gives_the_credential_and_its_key() {
        let (_, cose) = p256();
        let data = auth_data("kirjo.example.fi", 0x45, 0, Some((&[7u8; 16], &cose)));
        let att = cbor(&Value::Map(vec![
            (Value::from("fmt"), Value::from("packed")),
            (Value::from("attStmt"), Value::Map(vec![])),
            (Value::from("authData"), Value::Bytes(data)),
        ]));
        let r = registration(&att, &rp()).unwrap();
        assert_eq!(r.credential_id, vec![7u8; 16]);
        assert_eq!(r.cose_key, cose);
        assert_eq!(r.algorithm, ES256);
        assert!(r.user_verified);
        // Another relying party, and no user presence, are refused.
        let elsewhere = auth_data("evil.example", 0x45, 0, Some((&[7u8; 16], &cose)));
        let att = cbor(&Value::Map(vec![
            (Value::from("fmt"), Value::from("none")),
            (Value::from("attStmt"), Value::Map(vec![])),
            (Value::from("authData"), Value::Bytes(elsewhere)),
        ]));
        assert_eq!(
            registration(&att, &rp()).err(),
            Some(Refusal::WrongRelyingParty)
        );
        let absent = auth_data("kirjo.example.fi", 0x40, 0, Some((&[7u8; 16], &cose)));
        let att = cbor(&Value::Map(vec![
            (Value::from("fmt"), Value::from("none")),
            (Value::from("attStmt"), Value::Map(vec![])),
            (Value::from("authData"), Value::Bytes(absent)),
        ]));
        assert_eq!(
            registration(&att, &rp()).err(),
            Some(Refusal::UserNotPresent)
        );
    }

    #[test]
    fn extensions_after_the_key_are_read_past_and_trailing_bytes_refused() {
        let (_, cose) = p256();
        let mut data = auth_data(
            "kirjo.example.fi",
            0x01 | 0x40 | 0x80,
            3,
            Some((&[1u8; 20], &cose)),
        );
        data.extend(cbor(&Value::Map(vec![(
            Value::from("credProps"),
            Value::Bool(true),
        )])));
        let parsed = authenticator_data(&data).unwrap();
        assert_eq!(parsed.attested.unwrap().1, cose);
        let mut extra = auth_data("kirjo.example.fi", 0x01, 3, None);
        extra.push(0);
        assert!(matches!(
            authenticator_data(&extra),
            Err(Refusal::Malformed(_))
        ));
    }

    fn sign(pair: &EcdsaKeyPair, data: &[u8], json: &[u8]) -> Vec<u8> {
        let mut m = data.to_vec();
        m.extend_from_slice(&Sha256::digest(json));
        pair.sign(&SystemRandom::new(), &m)
            .unwrap()
            .as_ref()
            .to_vec()
    }

    #[test]
    fn an_assertion_verifies_its_signature_and_counter() {
        let (pair, cose) = p256();
        let json = br#"{"type":"webauthn.get"}"#;
        let data = auth_data("kirjo.example.fi", 0x05, 8, None);
        let signature = sign(&pair, &data, json);
        assert_eq!(
            assertion(&data, json, &signature, &cose, 7, &rp()),
            Ok(Asserted {
                sign_count: 8,
                user_verified: true
            })
        );
        // The signature covers the client data.
        assert_eq!(
            assertion(
                &data,
                br#"{"type":"webauthn.get" }"#,
                &signature,
                &cose,
                7,
                &rp()
            ),
            Err(Refusal::BadSignature)
        );
        // A counter that does not move forward is a possible clone.
        assert_eq!(
            assertion(&data, json, &signature, &cose, 8, &rp()),
            Err(Refusal::CounterNotIncreased {
                stored: 8,
                given: 8
            })
        );
        // An authenticator without a counter (always 0) is fine.
        let zero = auth_data("kirjo.example.fi", 0x01, 0, None);
        let s0 = sign(&pair, &zero, json);
        assert!(assertion(&zero, json, &s0, &cose, 0, &rp()).is_ok());
        assert_eq!(
            assertion(&zero, json, &s0, &cose, 5, &rp()),
            Err(Refusal::CounterNotIncreased {
                stored: 5,
                given: 0
            })
        );
        // Another key's signature.
        let (_, other) = p256();
        assert_eq!(
            assertion(&data, json, &signature, &other, 7, &rp()),
            Err(Refusal::BadSignature)
        );
    }

    #[test]
    fn ed25519_keys_verify_too_and_unknown_kinds_are_refused() {
        let rng = SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let cose = cbor(&Value::Map(vec![
            (Value::from(1), Value::from(1)),
            (Value::from(3), Value::from(-8)),
            (Value::from(-1), Value::from(6)),
            (
                Value::from(-2),
                Value::Bytes(pair.public_key().as_ref().to_vec()),
            ),
        ]));
        let json = b"{}";
        let data = auth_data("kirjo.example.fi", 0x01, 1, None);
        let mut m = data.clone();
        m.extend_from_slice(&Sha256::digest(json));
        let s = pair.sign(&m).as_ref().to_vec();
        assert!(assertion(&data, json, &s, &cose, 0, &rp()).is_ok());
        // ES384 (-35) is not accepted.
        let es384 = cbor(&Value::Map(vec![
            (Value::from(1), Value::from(2)),
            (Value::from(3), Value::from(-35)),
        ]));
        assert_eq!(PublicKey::from_cose(&es384), Err(Refusal::UnsupportedKey));
    }
}
