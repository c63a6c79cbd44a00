//! The messages that carry a one-time code: an e-mail (plain text and HTML) and an SMS, in
//! the signer's language. Every interpolated value is escaped in the HTML part.

use crate::message::escape;
use crate::model::{Language, Signer};
use crate::port::{Email, Mailbox};

/// The words of the code e-mail in one language.
struct Words {
    subject: &'static str,
    hello: &'static str,
    intro: &'static str,
    validity: &'static str,
    ignore: &'static str,
}

/// `{name}`, `{title}`, `{account}` and `{minutes}` are filled in.
fn words(language: Language) -> Words {
    match language {
        Language::En => Words {
            subject: "Your verification code",
            hello: "Hello {name},",
            intro: "Your code to open \u{201c}{title}\u{201d} from {account} is:",
            validity: "The code works once, for {minutes} minutes. Do not share it with anyone.",
            ignore: "If you did not ask for it, you can ignore this e-mail.",
        },
        Language::Nl => Words {
            subject: "Uw verificatiecode",
            hello: "Beste {name},",
            intro: "Uw code om \u{201c}{title}\u{201d} van {account} te openen is:",
            validity: "De code werkt één keer, {minutes} minuten lang. Deel hem met niemand.",
            ignore: "Hebt u hem niet aangevraagd? Dan kunt u deze e-mail negeren.",
        },
        Language::De => Words {
            subject: "Ihr Bestätigungscode",
            hello: "Hallo {name},",
            intro: "Ihr Code zum Öffnen von \u{201e}{title}\u{201c} von {account} lautet:",
            validity: "Der Code gilt einmal, {minutes} Minuten lang. Geben Sie ihn an niemanden weiter.",
            ignore: "Wenn Sie ihn nicht angefordert haben, können Sie diese E-Mail ignorieren.",
        },
        Language::Es => Words {
            subject: "Su código de verificación",
            hello: "Hola, {name}:",
            intro: "Su código para abrir «{title}» de {account} es:",
            validity: "El código sirve una sola vez, durante {minutes} minutos. No lo comparta con nadie.",
            ignore: "Si no lo ha solicitado, puede ignorar este correo.",
        },
        Language::Da => Words {
            subject: "Din bekræftelseskode",
            hello: "Hej {name}",
            intro: "Din kode til at åbne \u{201d}{title}\u{201d} fra {account} er:",
            validity: "Koden virker én gang i {minutes} minutter. Del den ikke med nogen.",
            ignore: "Hvis du ikke har bedt om den, kan du se bort fra denne e-mail.",
        },
        Language::Pl => Words {
            subject: "Twój kod weryfikacyjny",
            hello: "Dzień dobry {name},",
            intro: "Twój kod do otwarcia \u{201e}{title}\u{201d} od {account} to:",
            validity: "Kod działa jeden raz przez {minutes} minut. Nie udostępniaj go nikomu.",
            ignore: "Jeżeli ta prośba nie pochodzi od Ciebie, zignoruj tę wiadomość.",
        },
        Language::It => Words {
            subject: "Il tuo codice di verifica",
            hello: "Gentile {name},",
            intro: "Il codice per aprire «{title}» di {account} è:",
            validity: "Il codice vale una sola volta, per {minutes} minuti. Non condividerlo con nessuno.",
            ignore: "Se non l'hai richiesto, puoi ignorare questa e-mail.",
        },
        Language::Fr => Words {
            subject: "Votre code de vérification",
            hello: "Bonjour {name},",
            intro: "Votre code pour ouvrir « {title} » de {account} est :",
            validity: "Le code fonctionne une seule fois, pendant {minutes} minutes. Ne le communiquez à personne.",
            ignore: "Si vous ne l'avez pas demandé, ignorez cet e-mail.",
        },
        Language::Sv => Words {
            subject: "Din verifieringskod",
            hello: "Hej {name},",
            intro: "Din kod för att öppna \u{201d}{title}\u{201d} från {account} är:",
            validity: "Koden fungerar en gång i {minutes} minuter. Dela den inte med någon.",
            ignore: "Om du inte har begärt den kan du bortse från detta e-postmeddelande.",
        },
    }
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// What a code message is about.
pub struct CodeMessage<'a> {
    /// The sender's account name.
    pub account_name: &'a str,
    /// The envelope's title.
    pub title: &'a str,
    /// The code.
    pub code: &'a str,
    /// How long it works, in minutes.
    pub minutes: i64,
}

/// The e-mail carrying a code to `signer`, in the signer's language. The code stands on a line
/// of its own in the text part and is not in the subject (lock screens show subjects).
pub fn otp_email(message: &CodeMessage<'_>, signer: &Signer, message_id: String) -> Email {
    let w = words(signer.language);
    let minutes = message.minutes.to_string();
    let plain = [
        ("name", signer.name.as_str()),
        ("title", message.title),
        ("account", message.account_name),
        ("minutes", minutes.as_str()),
    ];
    let (name, title, account) = (
        escape(&signer.name),
        escape(message.title),
        escape(message.account_name),
    );
    let escaped = [
        ("name", name.as_str()),
        ("title", title.as_str()),
        ("account", account.as_str()),
        ("minutes", minutes.as_str()),
    ];
    let text = format!(
        "{}\n\n{}\n\n{}\n\n{}\n{}\n",
        fill(w.hello, &plain),
        fill(w.intro, &plain),
        message.code,
        fill(w.validity, &plain),
        w.ignore,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><p>{}</p><p>{}</p>\
         <p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">{}</p><p>{}</p>\
         <p style=\"color:#666\">{}</p></body></html>",
        fill(w.hello, &escaped),
        fill(w.intro, &escaped),
        escape(message.code),
        fill(w.validity, &escaped),
        escape(w.ignore),
    );
    Email {
        message_id,
        from_name: message.account_name.to_owned(),
        to: Mailbox {
            name: signer.name.clone(),
            address: signer.email.clone(),
        },
        subject: w.subject.to_owned(),
        text,
        html,
        attachments: Vec::new(),
    }
}

/// The SMS carrying a code, in `language`.
pub fn otp_sms(message: &CodeMessage<'_>, language: Language) -> String {
    let template = match language {
        Language::En => {
            "{code} is your code for signing with {account}. Valid {minutes} min; do not share it."
        }
        Language::Nl => {
            "{code} is uw code om te ondertekenen bij {account}. {minutes} min geldig; deel hem niet."
        }
        Language::De => {
            "{code} ist Ihr Code zum Unterschreiben bei {account}. {minutes} Min. gültig; nicht weitergeben."
        }
        Language::Es => {
            "{code} es su código para firmar con {account}. Válido {minutes} min; no lo comparta."
        }
        Language::Da => {
            "{code} er din kode til at underskrive hos {account}. Gyldig i {minutes} min; del den ikke."
        }
        Language::Pl => {
            "{code} to Twój kod do podpisu w {account}. Ważny {minutes} min; nie udostępniaj go."
        }
        Language::It => {
            "{code} è il tuo codice per firmare con {account}. Valido {minutes} min; non condividerlo."
        }
        Language::Fr => {
            "{code} est votre code de signature pour {account}. Valable {minutes} min ; ne le partagez pas."
        }
        Language::Sv => {
            "{code} är din kod för att signera hos {account}. Giltig i {minutes} min; dela den inte."
        }
    };
    let minutes = message.minutes.to_string();
    fill(
        template,
        &[
            ("code", message.code),
            ("account", message.account_name),
            ("minutes", minutes.as_str()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> CodeMessage<'static> {
        CodeMessage {
            account_name: "Acme & Co",
            title: "Lease <2026>",
            code: "042917",
            minutes: 10,
        }
    }

    #[test]
    fn every_language_has_its_own_words_and_every_placeholder_is_filled() {
        let mut subjects = std::collections::BTreeSet::new();
        for &language in Language::ALL {
            let w = words(language);
            subjects.insert(w.subject);
            let sms = otp_sms(&message(), language);
            assert!(
                sms.starts_with("042917 ") && sms.contains("Acme & Co"),
                "{sms}"
            );
            assert!(!sms.contains('{'), "{sms}");
            for text in [w.hello, w.intro, w.validity] {
                let filled = fill(
                    text,
                    &[
                        ("name", "A"),
                        ("title", "T"),
                        ("account", "C"),
                        ("minutes", "10"),
                    ],
                );
                assert!(!filled.contains('{'), "{language}: {filled}");
            }
        }
        assert_eq!(subjects.len(), Language::ALL.len());
    }

    #[test]
    fn the_code_is_on_a_line_of_its_own_and_html_is_escaped() {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        let signer = Signer {
            id: crate::id::SignerId::generate(),
            envelope_id: crate::id::EnvelopeId::generate(),
            name: "Ada <Lovelace>".into(),
            email: "ada@example.com".into(),
            role: crate::model::SignerRole::Signer,
            order: 1,
            language: Language::Fr,
            invitation: crate::model::Invitation::Email,
            redirect_url: None,
            message: None,
            status: crate::model::SignerStatus::Pending,
            token_hash: None,
            token_generation: 1,
            signature: None,
            evidence: None,
            decline_reason: None,
            viewed_at: None,
            signed_at: None,
            declined_at: None,
            created_at: at,
            auth_method: crate::model::AuthMethod::EmailOtp,
            phone: None,
            identity_provider: None,
            expected_identity: None,
        };
        let mail = otp_email(&message(), &signer, "id@x".into());
        assert!(mail.text.lines().any(|line| line == "042917"));
        assert!(!mail.subject.contains("042917"));
        assert!(mail.text.contains("« Lease <2026> »"));
        assert!(mail.html.contains("Ada &lt;Lovelace&gt;"));
        assert!(mail.html.contains("Lease &lt;2026&gt;") && mail.html.contains("Acme &amp; Co"));
    }
}
