//! Signer-facing formats per language.

use time::OffsetDateTime;

use crate::model::Language;

/// A date as people write it in `language` ("23 November 2026", "23. November 2026", ...).
pub fn long_date(at: OffsetDateTime, language: Language) -> String {
    let day = at.day();
    let year = at.year();
    let month = usize::from(u8::from(at.month())) - 1;
    let name = month_names(language)[month];
    match language {
        Language::En | Language::Nl | Language::Fr | Language::It | Language::Sv | Language::Pl => {
            format!("{day} {name} {year}")
        }
        Language::De | Language::Da => format!("{day}. {name} {year}"),
        Language::Es => format!("{day} de {name} de {year}"),
    }
}

fn month_names(language: Language) -> [&'static str; 12] {
    match language {
        Language::En => [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        Language::Nl => [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        Language::De => [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        Language::Es => [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        Language::Da => [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
        // Polish dates use the genitive month names.
        Language::Pl => [
            "stycznia",
            "lutego",
            "marca",
            "kwietnia",
            "maja",
            "czerwca",
            "lipca",
            "sierpnia",
            "września",
            "października",
            "listopada",
            "grudnia",
        ],
        Language::It => [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ],
        Language::Fr => [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        Language::Sv => [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_follow_the_signers_language() {
        let at = datetime!(2026-03-05 10:00 UTC);
        assert_eq!(long_date(at, Language::En), "5 March 2026");
        assert_eq!(long_date(at, Language::De), "5. März 2026");
        assert_eq!(long_date(at, Language::Es), "5 de marzo de 2026");
        assert_eq!(long_date(at, Language::Pl), "5 marca 2026");
    }
}
