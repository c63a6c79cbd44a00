//! The signing state machine: whose turn it is, and when an envelope is done.

use crate::model::{EnvelopeRecord, Signer, SignerStatus, SigningOrder};

impl EnvelopeRecord {
    /// The `order` whose signers may act now in a sequential envelope (the lowest order with a
    /// pending acting signer); `None` for parallel envelopes or when nobody is pending.
    pub fn current_order(&self) -> Option<i32> {
        if self.envelope.signing_order == SigningOrder::Parallel {
            return None;
        }
        self.acting()
            .filter(|s| s.status == SignerStatus::Pending)
            .map(|s| s.order)
            .min()
    }

    /// True when `signer` may act now.
    pub fn is_turn_of(&self, signer: &Signer) -> bool {
        if !signer.role.acts() || signer.status != SignerStatus::Pending {
            return false;
        }
        match self.envelope.signing_order {
            SigningOrder::Parallel => true,
            SigningOrder::Sequential => self.current_order() == Some(signer.order),
        }
    }

    /// The pending acting signers whose turn it is now.
    pub fn signers_up_now(&self) -> Vec<&Signer> {
        self.acting().filter(|s| self.is_turn_of(s)).collect()
    }

    /// True when there is at least one acting signer and all of them have signed.
    pub fn all_signed(&self) -> bool {
        let mut acting = self.acting().peekable();
        acting.peek().is_some() && acting.all(|s| s.status == SignerStatus::Signed)
    }

    /// Signers who sign or approve (not cc).
    pub fn acting(&self) -> impl Iterator<Item = &Signer> {
        self.signers.iter().filter(|s| s.role.acts())
    }

    /// A signer of this envelope by id.
    pub fn signer(&self, id: crate::id::SignerId) -> Option<&Signer> {
        self.signers.iter().find(|s| s.id == id)
    }

    /// A document of this envelope by id.
    pub fn document(&self, id: crate::id::DocumentId) -> Option<&crate::model::Document> {
        self.documents.iter().find(|d| d.id == id)
    }
}

#[cfg(test)]
mod tests {
    use crate::id::{AccountId, EnvelopeId, SignerId, UserId};
    use crate::model::*;
    use time::macros::datetime;

    fn signer(order: i32, role: SignerRole, status: SignerStatus) -> Signer {
        Signer {
            id: SignerId::generate(),
            envelope_id: EnvelopeId::from_uuid(uuid::Uuid::nil()),
            name: "n".into(),
            email: "n@example.com".into(),
            role,
            order,
            language: Language::En,
            invitation: Invitation::Link,
            redirect_url: None,
            status,
            token_hash: None,
            token_generation: 1,
            signature: None,
            evidence: None,
            decline_reason: None,
            message: None,
            viewed_at: None,
            signed_at: None,
            declined_at: None,
            created_at: datetime!(2026-01-01 0:00 UTC),
            auth_method: crate::model::AuthMethod::None,
            phone: None,
            identity_provider: None,
            expected_identity: None,
        }
    }

    fn record(order: SigningOrder, signers: Vec<Signer>) -> EnvelopeRecord {
        let at = datetime!(2026-01-01 0:00 UTC);
        EnvelopeRecord {
            envelope: Envelope {
                id: EnvelopeId::generate(),
                account_id: AccountId::generate(),
                created_by: UserId::generate(),
                title: "t".into(),
                message: None,
                external_key: None,
                signing_order: order,
                status: EnvelopeStatus::InProgress,
                expires_at: None,
                callback_url: None,
                result_url: None,
                status_callbacks: false,
                statements: Vec::new(),
                extended_auth_session: false,
                proof: None,
                created_at: at,
                updated_at: at,
                sent_at: Some(at),
                finished_at: None,
                deleted_at: None,
                version: 1,
            },
            documents: vec![],
            signers,
            fields: vec![],
            chain_head: None,
        }
    }

    use SignerRole::{Approver, Cc, Signer as Signs};
    use SignerStatus::*;

    #[test]
    fn sequential_turns_follow_the_lowest_pending_order_and_share_equal_orders() {
        let r = record(
            SigningOrder::Sequential,
            vec![
                signer(1, Signs, Signed),
                signer(2, Signs, Pending),
                signer(2, Approver, Pending),
                signer(3, Signs, Pending),
            ],
        );
        assert_eq!(r.current_order(), Some(2));
        let up: Vec<i32> = r.signers_up_now().iter().map(|s| s.order).collect();
        assert_eq!(up, vec![2, 2]);
        assert!(!r.is_turn_of(&r.signers[3]));
        assert!(
            !r.is_turn_of(&r.signers[0]),
            "a signer who signed has no turn"
        );
    }

    #[test]
    fn parallel_envelopes_let_every_pending_actor_sign() {
        let r = record(
            SigningOrder::Parallel,
            vec![
                signer(1, Signs, Pending),
                signer(5, Signs, Pending),
                signer(0, Cc, Pending),
            ],
        );
        assert_eq!(r.signers_up_now().len(), 2);
        assert!(!r.is_turn_of(&r.signers[2]), "cc never acts");
    }

    #[test]
    fn all_signed_needs_every_actor_and_ignores_cc() {
        assert!(
            record(
                SigningOrder::Parallel,
                vec![signer(1, Signs, Signed), signer(0, Cc, Pending)]
            )
            .all_signed()
        );
        assert!(
            !record(
                SigningOrder::Parallel,
                vec![signer(1, Signs, Signed), signer(2, Approver, Pending)]
            )
            .all_signed()
        );
        assert!(!record(SigningOrder::Parallel, vec![signer(0, Cc, Pending)]).all_signed());
    }
}
