//! The electronic-records disclosure a signer accepts before signing, in each [`Language`].
//! Versioned per language: the audit trail records the version (which names the language), the
//! language and the SHA-256 of the exact text shown and accepted.

use crate::model::Language;

/// The edition of the disclosure; each language's version is `{EDITION}-{language}-1`.
const EDITION: &str = "2026-11";

/// The version of the disclosure in `language` (`2026-11-de-1`).
pub fn version(language: Language) -> String {
    format!("{EDITION}-{}-1", language.as_str())
}

/// SHA-256 of [`text`] in `language`, hex.
pub fn sha256_hex(language: Language) -> String {
    hex::encode(crate::secret::sha256(text(language).as_bytes()))
}

/// The disclosure text in `language`.
pub fn text(language: Language) -> &'static str {
    match language {
        Language::En => EN,
        Language::Nl => NL,
        Language::De => DE,
        Language::Es => ES,
        Language::Da => DA,
        Language::Pl => PL,
        Language::It => IT,
        Language::Fr => FR,
        Language::Sv => SV,
    }
}

const EN: &str = "By signing electronically you agree that your electronic signature is the legal \
equivalent of your handwritten signature on this document, and that you receive the documents and \
notices of this signature request electronically. You need a device with a current web browser \
and a way to view PDF files. You may ask the sender for a paper copy. You may withdraw this \
consent by declining to sign instead of signing; declining does not affect anything you signed \
before. Signet records your name, e-mail address, IP address, browser and the time of each step \
as evidence of this signature.";

const NL: &str = "Door elektronisch te ondertekenen gaat u ermee akkoord dat uw elektronische \
handtekening juridisch gelijkstaat aan uw handgeschreven handtekening op dit document, en dat u de \
documenten en berichten van dit ondertekeningsverzoek elektronisch ontvangt. U hebt een apparaat \
nodig met een actuele webbrowser en een manier om PDF-bestanden te bekijken. U kunt de afzender om \
een papieren exemplaar vragen. U kunt deze toestemming intrekken door te weigeren in plaats van te \
ondertekenen; weigeren heeft geen gevolgen voor wat u eerder hebt ondertekend. Signet legt uw naam, \
e-mailadres, IP-adres, browser en het tijdstip van elke stap vast als bewijs van deze ondertekening.";

const DE: &str = "Mit Ihrer elektronischen Unterschrift erklären Sie sich damit einverstanden, dass \
Ihre elektronische Unterschrift rechtlich Ihrer handschriftlichen Unterschrift auf diesem Dokument \
gleichsteht und dass Sie die Dokumente und Mitteilungen dieser Signaturanfrage elektronisch \
erhalten. Sie benötigen ein Gerät mit einem aktuellen Webbrowser und eine Möglichkeit, PDF-Dateien \
anzuzeigen. Sie können beim Absender eine Papierkopie anfordern. Sie können diese Einwilligung \
widerrufen, indem Sie die Unterschrift ablehnen; eine Ablehnung berührt nichts, was Sie zuvor \
unterschrieben haben. Signet speichert Ihren Namen, Ihre E-Mail-Adresse, Ihre IP-Adresse, Ihren \
Browser und den Zeitpunkt jedes Schritts als Nachweis dieser Unterschrift.";

const ES: &str = "Al firmar electrónicamente acepta que su firma electrónica tiene el mismo valor \
legal que su firma manuscrita en este documento y que recibirá por vía electrónica los documentos y \
avisos de esta solicitud de firma. Necesita un dispositivo con un navegador web actual y una forma \
de ver archivos PDF. Puede pedir al remitente una copia en papel. Puede retirar este consentimiento \
rechazando la firma en lugar de firmar; rechazarla no afecta a nada de lo que haya firmado antes. \
Signet registra su nombre, dirección de correo electrónico, dirección IP, navegador y la hora de \
cada paso como prueba de esta firma.";

const DA: &str = "Ved at underskrive elektronisk accepterer du, at din elektroniske underskrift \
juridisk svarer til din håndskrevne underskrift på dette dokument, og at du modtager dokumenterne \
og meddelelserne i denne underskriftsanmodning elektronisk. Du skal bruge en enhed med en opdateret \
webbrowser og en mulighed for at se PDF-filer. Du kan bede afsenderen om en papirkopi. Du kan \
trække dette samtykke tilbage ved at afvise i stedet for at underskrive; en afvisning påvirker ikke \
noget, du har underskrevet tidligere. Signet registrerer dit navn, din e-mailadresse, din IP-adresse, \
din browser og tidspunktet for hvert trin som bevis for denne underskrift.";

const PL: &str = "Podpisując elektronicznie, zgadzasz się, że Twój podpis elektroniczny jest \
prawnie równoważny Twojemu podpisowi odręcznemu na tym dokumencie oraz że dokumenty i powiadomienia \
dotyczące tej prośby o podpis otrzymujesz drogą elektroniczną. Potrzebujesz urządzenia z aktualną \
przeglądarką internetową i możliwością wyświetlania plików PDF. Możesz poprosić nadawcę o kopię \
papierową. Możesz wycofać tę zgodę, odmawiając podpisu zamiast podpisywać; odmowa nie wpływa na nic, \
co podpisałeś wcześniej. Signet zapisuje Twoje imię i nazwisko, adres e-mail, adres IP, przeglądarkę \
oraz czas każdego kroku jako dowód tego podpisu.";

const IT: &str = "Firmando elettronicamente accetti che la tua firma elettronica abbia lo stesso \
valore legale della tua firma autografa su questo documento e di ricevere in forma elettronica i \
documenti e gli avvisi di questa richiesta di firma. Ti servono un dispositivo con un browser web \
aggiornato e un modo per visualizzare i file PDF. Puoi chiedere al mittente una copia cartacea. Puoi \
revocare questo consenso rifiutando di firmare invece di firmare; il rifiuto non incide su nulla di \
ciò che hai firmato in precedenza. Signet registra il tuo nome, indirizzo e-mail, indirizzo IP, \
browser e l'ora di ogni passaggio come prova di questa firma.";

const FR: &str = "En signant électroniquement, vous acceptez que votre signature électronique ait \
la même valeur juridique que votre signature manuscrite sur ce document, et que vous receviez par \
voie électronique les documents et avis de cette demande de signature. Il vous faut un appareil \
doté d'un navigateur web récent et d'un moyen d'afficher les fichiers PDF. Vous pouvez demander un \
exemplaire papier à l'expéditeur. Vous pouvez retirer ce consentement en refusant de signer au lieu \
de signer ; un refus n'affecte rien de ce que vous avez signé auparavant. Signet enregistre votre \
nom, votre adresse e-mail, votre adresse IP, votre navigateur et l'heure de chaque étape comme \
preuve de cette signature.";

const SV: &str = "Genom att signera elektroniskt godkänner du att din elektroniska underskrift \
juridiskt motsvarar din handskrivna underskrift på detta dokument och att du tar emot dokumenten \
och meddelandena i denna signeringsbegäran elektroniskt. Du behöver en enhet med en aktuell \
webbläsare och ett sätt att visa PDF-filer. Du kan be avsändaren om en papperskopia. Du kan \
återkalla detta samtycke genom att avböja i stället för att signera; att avböja påverkar inget du \
har signerat tidigare. Signet registrerar ditt namn, din e-postadress, din IP-adress, din webbläsare \
och tidpunkten för varje steg som bevis för denna signatur.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_disclosure_and_version() {
        assert_eq!(
            version(Language::En),
            "2026-11-en-1",
            "English keeps its version"
        );
        let mut texts = std::collections::BTreeSet::new();
        let mut hashes = std::collections::BTreeSet::new();
        for &language in Language::ALL {
            assert!(text(language).len() > 300, "{language:?} is a full text");
            assert!(text(language).contains("Signet") && text(language).contains("PDF"));
            assert!(version(language).contains(&format!("-{}-", language.as_str())));
            texts.insert(text(language));
            hashes.insert(sha256_hex(language));
        }
        assert_eq!(
            texts.len(),
            Language::ALL.len(),
            "no language left in English"
        );
        assert_eq!(hashes.len(), Language::ALL.len());
    }
}
