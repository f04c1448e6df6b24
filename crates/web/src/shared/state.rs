use crate::shared::metrics::Metrics;
use kirjo_store::gate::GateSettings;
use kirjo_store::PgPool;
use std::sync::Arc;

/// Session limits.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    /// Idle timeout; 30 minutes by default.
    pub idle_secs: i64,
    /// Absolute limit from sign-in; 12 hours by default.
    pub absolute_secs: i64,
    /// Mark cookies `Secure` (when served over TLS).
    pub secure_cookies: bool,
    /// Failed sign-ins that lock an account name, and a source address,
    /// within `lockout_window_secs`. Default 5 and 20 in 15 minutes.
    pub max_account_failures: i64,
    pub max_source_failures: i64,
    pub lockout_window_secs: i64,
    /// Each failure slows the answer by this much more (capped at 2 s).
    pub failure_delay_ms: u64,
    /// Sensitive actions need the password given within this many seconds.
    /// Default 5 minutes.
    pub reauth_secs: i64,
    /// Roles that must sign in with a second factor (TOTP). A user who has
    /// enrolled one always needs it, whatever their roles.
    pub second_factor_roles: Vec<kirjo_access::Role>,
    /// A password older than this many days must be changed at sign-in.
    /// `None` (the default, as current guidance advises): no maximum age.
    pub max_password_age_days: Option<i64>,
    /// The name an authenticator app shows for Kirjo.
    pub issuer: String,
    /// WebAuthn's relying party (security keys and passkeys), from the
    /// configured public address; `None` turns them off.
    pub relying_party: Option<crate::account::webauthn::RelyingParty>,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            idle_secs: 30 * 60,
            absolute_secs: 12 * 60 * 60,
            secure_cookies: false,
            max_account_failures: 5,
            max_source_failures: 20,
            lockout_window_secs: 15 * 60,
            failure_delay_ms: 200,
            reauth_secs: 5 * 60,
            second_factor_roles: Vec::new(),
            max_password_age_days: None,
            issuer: "Kirjo".to_owned(),
            relying_party: crate::account::webauthn::RelyingParty::from_public_url(
                "http://localhost:8080",
                "Kirjo",
            ),
        }
    }
}

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Connections as the runtime role.
    pub db: PgPool,
    pub metrics: Arc<Metrics>,
    pub gate: Arc<GateSettings>,
    pub sessions: Arc<SessionSettings>,
    pub ui: Arc<UiSettings>,
    /// The limit on password hashing (see `shared::unavailable`).
    pub hashing: Arc<crate::shared::unavailable::HashLimiter>,
    /// The register description in force, and what the privacy notice
    /// states from the rest of the configuration: the public notice and
    /// the printouts' letterhead. `None`: no notice, no printouts (404).
    pub register: Option<Arc<RegisterConfig>>,
}

/// The register description and the configuration facts the notice states.
#[derive(Debug, Clone)]
pub struct RegisterConfig {
    pub description: kirjo_domain::register::RegisterDescription,
    pub facts: kirjo_domain::notice::Facts,
}

/// What the pages need of the configuration.
#[derive(Debug, Clone, Default)]
pub struct UiSettings {
    /// The purposes a worker may state to open a client outside their own
    /// relationships, with their names in each language.
    pub purposes: Vec<kirjo_domain::register::AccessPurpose>,
    /// Served over TLS: pages add `Strict-Transport-Security`.
    pub tls: bool,
}

impl AppState {
    pub fn new(db: PgPool) -> Self {
        Self {
            db,
            metrics: Arc::new(Metrics::default()),
            gate: Arc::new(GateSettings::default()),
            sessions: Arc::new(SessionSettings::default()),
            ui: Arc::new(UiSettings::default()),
            hashing: Arc::new(crate::shared::unavailable::HashLimiter::default()),
            register: None,
        }
    }

    /// The register description in force (the notice and the printouts).
    pub fn with_register(
        mut self,
        description: kirjo_domain::register::RegisterDescription,
        facts: kirjo_domain::notice::Facts,
    ) -> Self {
        self.register = Some(Arc::new(RegisterConfig { description, facts }));
        self
    }

    /// Password hashes at once (`slots`) and sign-ins that may wait (`queue`).
    pub fn with_hashing(mut self, slots: usize, queue: usize) -> Self {
        self.hashing = Arc::new(crate::shared::unavailable::HashLimiter::new(slots, queue));
        self
    }

    pub fn with_ui(mut self, ui: UiSettings) -> Self {
        self.ui = Arc::new(ui);
        self
    }

    pub fn with_gate(mut self, gate: GateSettings) -> Self {
        self.gate = Arc::new(gate);
        self
    }

    pub fn with_sessions(mut self, sessions: SessionSettings) -> Self {
        self.sessions = Arc::new(sessions);
        self
    }
}

/// The id of the request, in the response header, the log line and the use log.
#[derive(Debug, Clone, Copy)]
pub struct RequestId(pub uuid::Uuid);
