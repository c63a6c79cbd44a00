//! The mails as a recipient reads them: language, escaping, the allow-list, both parts.

use time::macros::datetime;

use super::*;
use crate::id::{AccountId, EnvelopeId, SignerId, UserId};
use crate::model::{
    Envelope, EnvelopeStatus, Invitation, Language, Signer, SignerRole, SignerStatus, SigningOrder,
};
use crate::port::Mailbox;

fn envelope(message: Option<&str>) -> Envelope {
    let at = datetime!(2027-03-01 09:00 UTC);
    Envelope {
        id: EnvelopeId::generate(),
        account_id: AccountId::generate(),
        created_by: UserId::generate(),
        title: "Lease <2027>".into(),
        message: message.map(str::to_string),
        external_key: None,
        signing_order: SigningOrder::Parallel,
        status: EnvelopeStatus::InProgress,
        expires_at: Some(datetime!(2027-05-04 12:00 UTC)),
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
    }
}

fn signer(language: Language, role: SignerRole, message: Option<&str>) -> Signer {
    Signer {
        id: SignerId::generate(),
        envelope_id: EnvelopeId::generate(),
        name: "Ann & Bob".into(),
        email: "ann@example.test".into(),
        role,
        order: 1,
        language,
        invitation: Invitation::Email,
        redirect_url: None,
        message: message.map(str::to_string),
        status: SignerStatus::Pending,
        token_hash: None,
        token_generation: 1,
        signature: None,
        evidence: None,
        decline_reason: None,
        viewed_at: None,
        signed_at: None,
        declined_at: None,
        created_at: datetime!(2027-03-01 09:00 UTC),
        auth_method: crate::model::AuthMethod::None,
        phone: None,
        identity_provider: None,
        expected_identity: None,
    }
}

fn mail(envelope: &Envelope, signer: &Signer, kind: LinkMail) -> crate::port::Email {
    let input = LinkMailInput {
        account_name: "Acme & Co",
        envelope,
        signer,
        url: "https://signet.test/s/tok?a=1&b=2",
        message_id: "invite.1@signet.test".into(),
    };
    link_mail(input, kind)
}

#[test]
fn the_invitation_is_in_the_signers_language_with_both_parts() {
    let env = envelope(None);
    let cases = [
        (
            Language::Nl,
            "Acme & Co vraagt je om te ondertekenen: Lease <2027>",
            "4 mei 2027",
        ),
        (
            Language::De,
            "Acme & Co bittet Sie um Ihre Unterschrift: Lease <2027>",
            "4. Mai 2027",
        ),
        (
            Language::Fr,
            "Acme & Co vous invite à signer : Lease <2027>",
            "4 mai 2027",
        ),
        (
            Language::En,
            "Acme & Co asks you to sign: Lease <2027>",
            "4 May 2027",
        ),
    ];
    for (language, subject, date) in cases {
        let m = mail(
            &env,
            &signer(language, SignerRole::Signer, None),
            LinkMail::Invitation,
        );
        assert_eq!(m.subject, subject);
        assert!(
            m.text.contains("https://signet.test/s/tok?a=1&b=2"),
            "{}",
            m.text
        );
        assert!(m.text.contains(date), "{language:?}: {}", m.text);
        assert!(
            m.html
                .contains("href=\"https://signet.test/s/tok?a=1&amp;b=2\"")
        );
        assert!(m.html.contains("Ann &amp; Bob") && m.html.contains("Lease &lt;2027&gt;"));
        assert!(!m.html.contains("<2027>"));
    }
}

#[test]
fn a_hostile_message_is_sanitised_in_html_and_plain_in_text() {
    let hostile = "<p>Please <b>sign</b><script>alert(1)</script> \
                   <a href=\"javascript:alert(2)\" onclick=\"x\">here</a></p><img src=x onerror=y>";
    let env = envelope(Some(hostile));
    let m = mail(
        &env,
        &signer(Language::En, SignerRole::Signer, None),
        LinkMail::Invitation,
    );
    assert!(
        m.html.contains("<p>Please <b>sign</b> <a>here</a></p>"),
        "{}",
        m.html
    );
    for bad in ["script", "javascript", "onclick", "onerror", "<img"] {
        assert!(!m.html.contains(bad), "{bad} in {}", m.html);
    }
    assert!(m.text.contains("Please sign here"), "{}", m.text);
    for markup in ["<p>", "<b>", "<script", "alert", "<a ", "<i>"] {
        assert!(!m.text.contains(markup), "{markup} in {}", m.text);
    }
}

#[test]
fn a_recipients_own_message_overrules_the_envelopes() {
    let env = envelope(Some("For everyone"));
    let own = "<i>Only for you</i> <a href=\"https://x.test/info\">info</a>";
    let m = mail(
        &env,
        &signer(Language::En, SignerRole::Signer, Some(own)),
        LinkMail::Invitation,
    );
    assert!(
        m.html
            .contains("<i>Only for you</i> <a href=\"https://x.test/info\">info</a>")
    );
    assert!(m.text.contains("Only for you info (https://x.test/info)"));
    assert!(!m.text.contains("For everyone") && !m.html.contains("For everyone"));
}

#[test]
fn approvers_reminders_and_turns_are_worded_for_what_they_are() {
    let env = envelope(None);
    let approver = signer(Language::De, SignerRole::Approver, None);
    assert_eq!(
        mail(&env, &approver, LinkMail::Reminder).subject,
        "Erinnerung: Acme & Co bittet Sie um Ihre Freigabe: Lease <2027>"
    );
    let turn = mail(
        &env,
        &signer(Language::Nl, SignerRole::Signer, None),
        LinkMail::YourTurn,
    );
    assert_eq!(
        turn.subject,
        "Je bent aan de beurt om te ondertekenen: Lease <2027>"
    );
    assert!(turn.text.contains("nu ben jij aan de beurt"));
    let extended = mail(
        &env,
        &signer(Language::Fr, SignerRole::Signer, None),
        LinkMail::TermExtended,
    );
    assert!(
        extended.text.contains("jusqu'au 4 mai 2027"),
        "{}",
        extended.text
    );
}

#[test]
fn the_completed_notice_carries_its_attachments_in_the_recipients_language() {
    let env = envelope(None);
    let file = crate::port::Attachment {
        filename: "lease-signed.pdf".into(),
        content_type: "application/pdf".into(),
        data: b"%PDF-1.7".to_vec(),
    };
    let input = NoticeInput {
        account_name: "Acme",
        envelope: &env,
        to: Mailbox {
            name: "Cleo".into(),
            address: "cleo@example.test".into(),
        },
        language: Language::Sv,
        message_id: "completed.1@signet.test".into(),
    };
    let m = notice(
        input,
        Notice::Completed {
            attachments: vec![file.clone()],
            download: None,
        },
    );
    assert_eq!(m.subject, "Underskrivet av alla: Lease <2027>");
    assert_eq!(m.attachments, vec![file]);
    assert!(m.text.starts_with("Hej Cleo!"));
}

#[test]
fn the_reset_mail_carries_the_link_in_both_parts_and_escapes_names() {
    let to = Mailbox {
        name: "Ada <Admin>".into(),
        address: "ada@example.test".into(),
    };
    let url = "https://signet.example/password/reset/abc";
    let mail = password_reset("Acme & Co", to, url, 60, "id@signet.example".into());
    assert!(mail.text.contains(url) && mail.text.contains("60 minutes"));
    assert!(mail.html.contains(&format!("href=\"{url}\"")));
    assert!(mail.html.contains("Ada &lt;Admin&gt;") && mail.html.contains("Acme &amp; Co"));
    assert_eq!(mail.to.address, "ada@example.test");
}

#[test]
fn markup_in_user_text_is_escaped() {
    assert_eq!(
        escape("<script>\"x\" & 'y'"),
        "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
    );
}
