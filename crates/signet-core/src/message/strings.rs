//! The signer-facing e-mail texts in every [`Language`]. Placeholders in braces (`{name}`,
//! `{account}`, `{title}`, `{date}`, `{signer}`, `{reason}`) are filled by [`fill`] with
//! values that are escaped by the caller where the text ends up in HTML.

use crate::model::Language;

/// One language's e-mail texts.
#[derive(Clone, Copy, Debug)]
pub struct Strings {
    /// Salutation: `{name}`.
    pub greeting: &'static str,
    /// Invitation subject for a signer: `{account}`, `{title}`.
    pub subject_sign: &'static str,
    /// Invitation subject for an approver: `{account}`, `{title}`.
    pub subject_approve: &'static str,
    /// Put before a reminder's subject.
    pub reminder_prefix: &'static str,
    /// Invitation body for a signer: `{account}`, `{title}`.
    pub body_sign: &'static str,
    /// Invitation body for an approver: `{account}`, `{title}`.
    pub body_approve: &'static str,
    /// Subject of the invitation when a sequential order reaches the signer: `{title}`.
    pub subject_your_turn: &'static str,
    /// Said when a sequential order reaches the signer.
    pub your_turn: &'static str,
    /// Introduces the sender's message: `{account}`.
    pub message_from: &'static str,
    /// The link text.
    pub open_document: &'static str,
    /// Deadline line: `{date}`.
    pub respond_before: &'static str,
    /// Warning under the signing link.
    pub personal_link: &'static str,
    /// Copy-recipient subject when the envelope goes out: `{title}`.
    pub subject_cc_sent: &'static str,
    /// Copy-recipient body when the envelope goes out: `{account}`, `{title}`.
    pub body_cc_sent: &'static str,
    /// Completed subject: `{title}`.
    pub subject_completed: &'static str,
    /// Completed body: `{title}`.
    pub body_completed: &'static str,
    /// Completed, with the documents attached.
    pub attached: &'static str,
    /// Completed, with a download link instead.
    pub download: &'static str,
    /// Declined subject: `{title}`.
    pub subject_declined: &'static str,
    /// Declined body: `{signer}`, `{title}`.
    pub body_declined: &'static str,
    /// The reason a signer gave: `{reason}`.
    pub decline_reason: &'static str,
    /// Expired subject: `{title}`.
    pub subject_expired: &'static str,
    /// Expired body: `{title}`.
    pub body_expired: &'static str,
    /// Reactivated subject: `{title}`.
    pub subject_reactivated: &'static str,
    /// Reactivated body: `{account}`, `{title}`.
    pub body_reactivated: &'static str,
    /// Term-extended subject: `{title}`.
    pub subject_extended: &'static str,
    /// Term-extended body: `{account}`, `{title}`, `{date}`.
    pub body_extended: &'static str,
    /// Footer: `{account}`.
    pub footer: &'static str,
}

/// The texts for `language`.
pub fn strings(language: Language) -> &'static Strings {
    match language {
        Language::En => &EN,
        Language::Nl => &NL,
        Language::De => &DE,
        Language::Es => &ES,
        Language::Da => &DA,
        Language::Pl => &PL,
        Language::It => &IT,
        Language::Fr => &FR,
        Language::Sv => &SV,
    }
}

/// Replaces each `{key}` in `template` by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

const EN: Strings = Strings {
    greeting: "Hello {name},",
    subject_sign: "{account} asks you to sign: {title}",
    subject_approve: "{account} asks you to approve: {title}",
    reminder_prefix: "Reminder: ",
    body_sign: "{account} asks you to review and sign \"{title}\".",
    body_approve: "{account} asks you to review and approve \"{title}\".",
    subject_your_turn: "It is your turn to sign: {title}",
    your_turn: "The people before you in the signing order are done: it is now your turn.",
    message_from: "Message from {account}:",
    open_document: "Open the document",
    respond_before: "Please respond before {date}.",
    personal_link: "This link is personal: do not forward it.",
    subject_cc_sent: "For your information: {title}",
    body_cc_sent: "{account} has sent \"{title}\" out for signing. You will receive the signed document once everyone has signed.",
    subject_completed: "Signed by everyone: {title}",
    body_completed: "Everyone has signed \"{title}\".",
    attached: "The signed document is attached to this e-mail.",
    download: "Download the signed document",
    subject_declined: "Declined: {title}",
    body_declined: "{signer} has declined to sign \"{title}\". The signing request has been stopped.",
    decline_reason: "Reason given: {reason}",
    subject_expired: "Expired: {title}",
    body_expired: "The term for signing \"{title}\" has passed before everyone had signed. The signing request has been closed.",
    subject_reactivated: "Open again for signing: {title}",
    body_reactivated: "{account} has reopened the signing request \"{title}\".",
    subject_extended: "More time to sign: {title}",
    body_extended: "{account} has extended the term for signing \"{title}\" until {date}.",
    footer: "Sent by Signet on behalf of {account}.",
};

const NL: Strings = Strings {
    greeting: "Beste {name},",
    subject_sign: "{account} vraagt je om te ondertekenen: {title}",
    subject_approve: "{account} vraagt je om goed te keuren: {title}",
    reminder_prefix: "Herinnering: ",
    body_sign: "{account} vraagt je om \"{title}\" te bekijken en te ondertekenen.",
    body_approve: "{account} vraagt je om \"{title}\" te bekijken en goed te keuren.",
    subject_your_turn: "Je bent aan de beurt om te ondertekenen: {title}",
    your_turn: "Iedereen die vóór jou in de volgorde stond, is klaar: nu ben jij aan de beurt.",
    message_from: "Bericht van {account}:",
    open_document: "Open het document",
    respond_before: "Reageer graag vóór {date}.",
    personal_link: "Deze link is persoonlijk: stuur hem niet door.",
    subject_cc_sent: "Ter informatie: {title}",
    body_cc_sent: "{account} heeft \"{title}\" ter ondertekening verstuurd. Je ontvangt het ondertekende document zodra iedereen heeft getekend.",
    subject_completed: "Door iedereen ondertekend: {title}",
    body_completed: "Iedereen heeft \"{title}\" ondertekend.",
    attached: "Het ondertekende document zit als bijlage bij deze e-mail.",
    download: "Download het ondertekende document",
    subject_declined: "Geweigerd: {title}",
    body_declined: "{signer} heeft geweigerd \"{title}\" te ondertekenen. Het ondertekenverzoek is stopgezet.",
    decline_reason: "Opgegeven reden: {reason}",
    subject_expired: "Verlopen: {title}",
    body_expired: "De termijn om \"{title}\" te ondertekenen is verstreken voordat iedereen had getekend. Het ondertekenverzoek is gesloten.",
    subject_reactivated: "Opnieuw open voor ondertekening: {title}",
    body_reactivated: "{account} heeft het ondertekenverzoek \"{title}\" opnieuw geopend.",
    subject_extended: "Meer tijd om te ondertekenen: {title}",
    body_extended: "{account} heeft de termijn om \"{title}\" te ondertekenen verlengd tot {date}.",
    footer: "Verstuurd door Signet namens {account}.",
};

const DE: Strings = Strings {
    greeting: "Hallo {name},",
    subject_sign: "{account} bittet Sie um Ihre Unterschrift: {title}",
    subject_approve: "{account} bittet Sie um Ihre Freigabe: {title}",
    reminder_prefix: "Erinnerung: ",
    body_sign: "{account} bittet Sie, „{title}“ zu prüfen und zu unterschreiben.",
    body_approve: "{account} bittet Sie, „{title}“ zu prüfen und freizugeben.",
    subject_your_turn: "Sie sind jetzt an der Reihe: {title}",
    your_turn: "Alle, die vor Ihnen an der Reihe waren, sind fertig: Jetzt sind Sie dran.",
    message_from: "Nachricht von {account}:",
    open_document: "Dokument öffnen",
    respond_before: "Bitte antworten Sie bis zum {date}.",
    personal_link: "Dieser Link ist persönlich: Bitte leiten Sie ihn nicht weiter.",
    subject_cc_sent: "Zur Kenntnisnahme: {title}",
    body_cc_sent: "{account} hat „{title}“ zur Unterschrift versendet. Sie erhalten das unterschriebene Dokument, sobald alle unterschrieben haben.",
    subject_completed: "Von allen unterschrieben: {title}",
    body_completed: "Alle haben „{title}“ unterschrieben.",
    attached: "Das unterschriebene Dokument ist dieser E-Mail beigefügt.",
    download: "Unterschriebenes Dokument herunterladen",
    subject_declined: "Abgelehnt: {title}",
    body_declined: "{signer} hat die Unterschrift von „{title}“ abgelehnt. Die Signaturanfrage wurde beendet.",
    decline_reason: "Angegebener Grund: {reason}",
    subject_expired: "Abgelaufen: {title}",
    body_expired: "Die Frist für die Unterschrift von „{title}“ ist abgelaufen, bevor alle unterschrieben haben. Die Signaturanfrage wurde geschlossen.",
    subject_reactivated: "Wieder zur Unterschrift geöffnet: {title}",
    body_reactivated: "{account} hat die Signaturanfrage „{title}“ wieder geöffnet.",
    subject_extended: "Mehr Zeit für die Unterschrift: {title}",
    body_extended: "{account} hat die Frist für die Unterschrift von „{title}“ bis zum {date} verlängert.",
    footer: "Von Signet im Auftrag von {account} gesendet.",
};

const ES: Strings = Strings {
    greeting: "Hola, {name}:",
    subject_sign: "{account} le pide que firme: {title}",
    subject_approve: "{account} le pide que apruebe: {title}",
    reminder_prefix: "Recordatorio: ",
    body_sign: "{account} le pide que revise y firme «{title}».",
    body_approve: "{account} le pide que revise y apruebe «{title}».",
    subject_your_turn: "Ahora le toca firmar: {title}",
    your_turn: "Las personas anteriores en el orden de firma ya han terminado: ahora es su turno.",
    message_from: "Mensaje de {account}:",
    open_document: "Abrir el documento",
    respond_before: "Responda antes del {date}, por favor.",
    personal_link: "Este enlace es personal: no lo reenvíe.",
    subject_cc_sent: "Para su información: {title}",
    body_cc_sent: "{account} ha enviado «{title}» para su firma. Recibirá el documento firmado cuando todos hayan firmado.",
    subject_completed: "Firmado por todos: {title}",
    body_completed: "Todos han firmado «{title}».",
    attached: "El documento firmado se adjunta a este correo electrónico.",
    download: "Descargar el documento firmado",
    subject_declined: "Rechazado: {title}",
    body_declined: "{signer} ha rechazado firmar «{title}». La solicitud de firma se ha detenido.",
    decline_reason: "Motivo indicado: {reason}",
    subject_expired: "Caducado: {title}",
    body_expired: "El plazo para firmar «{title}» ha vencido antes de que todos firmaran. La solicitud de firma se ha cerrado.",
    subject_reactivated: "De nuevo abierto para firmar: {title}",
    body_reactivated: "{account} ha vuelto a abrir la solicitud de firma «{title}».",
    subject_extended: "Más tiempo para firmar: {title}",
    body_extended: "{account} ha ampliado el plazo para firmar «{title}» hasta el {date}.",
    footer: "Enviado por Signet en nombre de {account}.",
};

const DA: Strings = Strings {
    greeting: "Kære {name}",
    subject_sign: "{account} beder dig underskrive: {title}",
    subject_approve: "{account} beder dig godkende: {title}",
    reminder_prefix: "Påmindelse: ",
    body_sign: "{account} beder dig gennemgå og underskrive »{title}«.",
    body_approve: "{account} beder dig gennemgå og godkende »{title}«.",
    subject_your_turn: "Nu er det din tur til at underskrive: {title}",
    your_turn: "Dem, der stod før dig i rækkefølgen, er færdige: nu er det din tur.",
    message_from: "Besked fra {account}:",
    open_document: "Åbn dokumentet",
    respond_before: "Svar venligst senest {date}.",
    personal_link: "Dette link er personligt: videresend det ikke.",
    subject_cc_sent: "Til orientering: {title}",
    body_cc_sent: "{account} har sendt »{title}« til underskrift. Du modtager det underskrevne dokument, når alle har underskrevet.",
    subject_completed: "Underskrevet af alle: {title}",
    body_completed: "Alle har underskrevet »{title}«.",
    attached: "Det underskrevne dokument er vedhæftet denne e-mail.",
    download: "Hent det underskrevne dokument",
    subject_declined: "Afvist: {title}",
    body_declined: "{signer} har afvist at underskrive »{title}«. Anmodningen om underskrift er stoppet.",
    decline_reason: "Angivet begrundelse: {reason}",
    subject_expired: "Udløbet: {title}",
    body_expired: "Fristen for at underskrive »{title}« udløb, før alle havde underskrevet. Anmodningen om underskrift er lukket.",
    subject_reactivated: "Åben for underskrift igen: {title}",
    body_reactivated: "{account} har genåbnet anmodningen om underskrift af »{title}«.",
    subject_extended: "Mere tid til at underskrive: {title}",
    body_extended: "{account} har forlænget fristen for at underskrive »{title}« til den {date}.",
    footer: "Sendt af Signet på vegne af {account}.",
};

const PL: Strings = Strings {
    greeting: "Dzień dobry {name},",
    subject_sign: "{account} prosi o podpisanie: {title}",
    subject_approve: "{account} prosi o zatwierdzenie: {title}",
    reminder_prefix: "Przypomnienie: ",
    body_sign: "{account} prosi o zapoznanie się z dokumentem „{title}” i jego podpisanie.",
    body_approve: "{account} prosi o zapoznanie się z dokumentem „{title}” i jego zatwierdzenie.",
    subject_your_turn: "Teraz Twoja kolej na podpis: {title}",
    your_turn: "Osoby wcześniej w kolejności podpisywania już skończyły: teraz Twoja kolej.",
    message_from: "Wiadomość od {account}:",
    open_document: "Otwórz dokument",
    respond_before: "Prosimy o odpowiedź do {date}.",
    personal_link: "Ten link jest osobisty: nie przekazuj go dalej.",
    subject_cc_sent: "Do wiadomości: {title}",
    body_cc_sent: "{account} wysłał(a) dokument „{title}” do podpisu. Podpisany dokument otrzymasz, gdy wszyscy go podpiszą.",
    subject_completed: "Podpisany przez wszystkich: {title}",
    body_completed: "Wszyscy podpisali dokument „{title}”.",
    attached: "Podpisany dokument znajduje się w załączniku do tej wiadomości.",
    download: "Pobierz podpisany dokument",
    subject_declined: "Odrzucono: {title}",
    body_declined: "{signer} odmówił(a) podpisania dokumentu „{title}”. Prośba o podpis została wstrzymana.",
    decline_reason: "Podany powód: {reason}",
    subject_expired: "Termin minął: {title}",
    body_expired: "Termin podpisania dokumentu „{title}” minął, zanim wszyscy go podpisali. Prośba o podpis została zamknięta.",
    subject_reactivated: "Ponownie otwarty do podpisu: {title}",
    body_reactivated: "{account} ponownie otworzył(a) prośbę o podpisanie dokumentu „{title}”.",
    subject_extended: "Więcej czasu na podpis: {title}",
    body_extended: "{account} przedłużył(a) termin podpisania dokumentu „{title}” do {date}.",
    footer: "Wysłane przez Signet w imieniu {account}.",
};

const IT: Strings = Strings {
    greeting: "Gentile {name},",
    subject_sign: "{account} le chiede di firmare: {title}",
    subject_approve: "{account} le chiede di approvare: {title}",
    reminder_prefix: "Promemoria: ",
    body_sign: "{account} le chiede di esaminare e firmare «{title}».",
    body_approve: "{account} le chiede di esaminare e approvare «{title}».",
    subject_your_turn: "Ora tocca a lei firmare: {title}",
    your_turn: "Chi la precedeva nell'ordine di firma ha terminato: ora tocca a lei.",
    message_from: "Messaggio da {account}:",
    open_document: "Apri il documento",
    respond_before: "La preghiamo di rispondere entro il {date}.",
    personal_link: "Questo link è personale: non lo inoltri.",
    subject_cc_sent: "Per conoscenza: {title}",
    body_cc_sent: "{account} ha inviato «{title}» per la firma. Riceverà il documento firmato quando tutti avranno firmato.",
    subject_completed: "Firmato da tutti: {title}",
    body_completed: "Tutti hanno firmato «{title}».",
    attached: "Il documento firmato è allegato a questa e-mail.",
    download: "Scarica il documento firmato",
    subject_declined: "Rifiutato: {title}",
    body_declined: "{signer} ha rifiutato di firmare «{title}». La richiesta di firma è stata interrotta.",
    decline_reason: "Motivo indicato: {reason}",
    subject_expired: "Scaduto: {title}",
    body_expired: "Il termine per firmare «{title}» è scaduto prima che tutti avessero firmato. La richiesta di firma è stata chiusa.",
    subject_reactivated: "Di nuovo aperto per la firma: {title}",
    body_reactivated: "{account} ha riaperto la richiesta di firma «{title}».",
    subject_extended: "Più tempo per firmare: {title}",
    body_extended: "{account} ha prorogato il termine per firmare «{title}» fino al {date}.",
    footer: "Inviato da Signet per conto di {account}.",
};

const FR: Strings = Strings {
    greeting: "Bonjour {name},",
    subject_sign: "{account} vous invite à signer : {title}",
    subject_approve: "{account} vous invite à approuver : {title}",
    reminder_prefix: "Rappel : ",
    body_sign: "{account} vous invite à examiner et à signer « {title} ».",
    body_approve: "{account} vous invite à examiner et à approuver « {title} ».",
    subject_your_turn: "C'est à votre tour de signer : {title}",
    your_turn: "Les personnes qui vous précèdent dans l'ordre de signature ont terminé : c'est maintenant à vous.",
    message_from: "Message de {account} :",
    open_document: "Ouvrir le document",
    respond_before: "Merci de répondre avant le {date}.",
    personal_link: "Ce lien est personnel : ne le transférez pas.",
    subject_cc_sent: "Pour information : {title}",
    body_cc_sent: "{account} a envoyé « {title} » pour signature. Vous recevrez le document signé une fois que tout le monde aura signé.",
    subject_completed: "Signé par tous : {title}",
    body_completed: "Tout le monde a signé « {title} ».",
    attached: "Le document signé est joint à cet e-mail.",
    download: "Télécharger le document signé",
    subject_declined: "Refusé : {title}",
    body_declined: "{signer} a refusé de signer « {title} ». La demande de signature a été arrêtée.",
    decline_reason: "Motif indiqué : {reason}",
    subject_expired: "Expiré : {title}",
    body_expired: "Le délai pour signer « {title} » est écoulé avant que tout le monde ait signé. La demande de signature a été clôturée.",
    subject_reactivated: "De nouveau ouvert à la signature : {title}",
    body_reactivated: "{account} a rouvert la demande de signature « {title} ».",
    subject_extended: "Plus de temps pour signer : {title}",
    body_extended: "{account} a prolongé le délai pour signer « {title} » jusqu'au {date}.",
    footer: "Envoyé par Signet pour le compte de {account}.",
};

const SV: Strings = Strings {
    greeting: "Hej {name}!",
    subject_sign: "{account} ber dig att skriva under: {title}",
    subject_approve: "{account} ber dig att godkänna: {title}",
    reminder_prefix: "Påminnelse: ",
    body_sign: "{account} ber dig att granska och skriva under ”{title}”.",
    body_approve: "{account} ber dig att granska och godkänna ”{title}”.",
    subject_your_turn: "Nu är det din tur att skriva under: {title}",
    your_turn: "De som stod före dig i turordningen är klara: nu är det din tur.",
    message_from: "Meddelande från {account}:",
    open_document: "Öppna dokumentet",
    respond_before: "Svara senast {date}.",
    personal_link: "Länken är personlig: vidarebefordra den inte.",
    subject_cc_sent: "För kännedom: {title}",
    body_cc_sent: "{account} har skickat ”{title}” för underskrift. Du får det underskrivna dokumentet när alla har skrivit under.",
    subject_completed: "Underskrivet av alla: {title}",
    body_completed: "Alla har skrivit under ”{title}”.",
    attached: "Det underskrivna dokumentet är bifogat i det här mejlet.",
    download: "Ladda ner det underskrivna dokumentet",
    subject_declined: "Avböjt: {title}",
    body_declined: "{signer} har avböjt att skriva under ”{title}”. Begäran om underskrift har stoppats.",
    decline_reason: "Angivet skäl: {reason}",
    subject_expired: "Utgånget: {title}",
    body_expired: "Tiden för att skriva under ”{title}” gick ut innan alla hade skrivit under. Begäran om underskrift har stängts.",
    subject_reactivated: "Öppet för underskrift igen: {title}",
    body_reactivated: "{account} har öppnat begäran om underskrift av ”{title}” igen.",
    subject_extended: "Mer tid att skriva under: {title}",
    body_extended: "{account} har förlängt tiden för att skriva under ”{title}” till {date}.",
    footer: "Skickat av Signet för {account}.",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &Strings) -> Vec<(&'static str, &'static str)> {
        vec![
            ("greeting", s.greeting),
            ("subject_sign", s.subject_sign),
            ("subject_approve", s.subject_approve),
            ("reminder_prefix", s.reminder_prefix),
            ("body_sign", s.body_sign),
            ("body_approve", s.body_approve),
            ("subject_your_turn", s.subject_your_turn),
            ("your_turn", s.your_turn),
            ("message_from", s.message_from),
            ("open_document", s.open_document),
            ("respond_before", s.respond_before),
            ("personal_link", s.personal_link),
            ("subject_cc_sent", s.subject_cc_sent),
            ("body_cc_sent", s.body_cc_sent),
            ("subject_completed", s.subject_completed),
            ("body_completed", s.body_completed),
            ("attached", s.attached),
            ("download", s.download),
            ("subject_declined", s.subject_declined),
            ("body_declined", s.body_declined),
            ("decline_reason", s.decline_reason),
            ("subject_expired", s.subject_expired),
            ("body_expired", s.body_expired),
            ("subject_reactivated", s.subject_reactivated),
            ("body_reactivated", s.body_reactivated),
            ("subject_extended", s.subject_extended),
            ("body_extended", s.body_extended),
            ("footer", s.footer),
        ]
    }

    fn placeholders(text: &str) -> Vec<String> {
        let mut found: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(key, _)| key.to_string()))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_language_has_every_string_translated_with_the_same_placeholders() {
        let english = fields(strings(Language::En));
        assert_eq!(Language::ALL.len(), 9);
        for &language in Language::ALL {
            let translated = fields(strings(language));
            assert_eq!(translated.len(), english.len());
            for ((name, text), (_, en)) in translated.iter().zip(&english) {
                assert!(!text.trim().is_empty(), "{language:?} {name} is empty");
                assert_eq!(
                    placeholders(text),
                    placeholders(en),
                    "{language:?} {name} must use the placeholders of the English text"
                );
                if language != Language::En {
                    assert_ne!(text, en, "{language:?} {name} is still English");
                }
            }
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        let text = fill(
            strings(Language::De).body_extended,
            &[
                ("account", "Acme"),
                ("title", "Vertrag"),
                ("date", "1. Mai 2027"),
            ],
        );
        assert_eq!(
            text,
            "Acme hat die Frist für die Unterschrift von „Vertrag“ bis zum 1. Mai 2027 verlängert."
        );
    }
}
