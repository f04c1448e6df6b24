//! Who may do what: the typed list of actions that every route and page maps
//! to. The gate that decides, records and then does (rules 1-3 of the domain
//! brief) is built on this list; until it exists no route touches client
//! data.

use serde::{Deserialize, Serialize};

/// Everything a user can do to client data. Each API route and page maps to
/// exactly one action; the gate decides per action, deny by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Perustiedot: name, identity code, contact data.
    ViewBasicData,
    /// Special categories and sensitive data (health, ethnic origin, ...).
    ViewSensitiveData,
    ViewDocument,
    WriteDocument,
    /// Correct a completed entry (a new version; the old stays).
    CorrectEntry,
    Print,
    Export,
    Search,
    /// Disclose data to an outside recipient (luovutus).
    Disclose,
    /// Show the address of a person with turvakielto, with a stated reason.
    RevealProtectedAddress,
}

impl Action {
    /// Every action, in a stable order.
    pub const ALL: [Action; 10] = [
        Action::ViewBasicData,
        Action::ViewSensitiveData,
        Action::ViewDocument,
        Action::WriteDocument,
        Action::CorrectEntry,
        Action::Print,
        Action::Export,
        Action::Search,
        Action::Disclose,
        Action::RevealProtectedAddress,
    ];

    /// Whether the action only reads.
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Action::ViewBasicData
                | Action::ViewSensitiveData
                | Action::ViewDocument
                | Action::Search
                | Action::RevealProtectedAddress
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_each_action_once() {
        let mut v = Action::ALL.to_vec();
        v.sort();
        v.dedup();
        assert_eq!(v.len(), Action::ALL.len());
    }
}
